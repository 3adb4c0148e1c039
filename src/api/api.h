/* Handlers of the JSON API, one file per resource. Each has the same shape:
 * decode → validate → call the domain → encode, with one exit. */
#ifndef FQ_API_H
#define FQ_API_H

#include <stdint.h>

#include "core/err.h"
#include "domain/ctx.h"

struct fq_req;
typedef struct json_t json_t;

/* The domain context of a request. */
struct fq_ctx fq_api_ctx(struct fq_req *r);
/* Replies with v (stolen) and status, or fails with the domain's error when v
 * is NULL. */
enum fq_err fq_api_reply(struct fq_req *r, int status, json_t *v);
/* Notes the object an audited request is about. */
void fq_api_audit_object(struct fq_req *r, const char *type, int64_t id);

#define FQ_HANDLER(name) enum fq_err name(struct fq_req *r)

/* health.c */
FQ_HANDLER(fq_api_health);
FQ_HANDLER(fq_api_metrics);
FQ_HANDLER(fq_api_openapi);
/* session.c */
FQ_HANDLER(fq_api_session_create);
FQ_HANDLER(fq_api_session_get);
FQ_HANDLER(fq_api_session_delete);
FQ_HANDLER(fq_api_session_password);
FQ_HANDLER(fq_api_session_totp_begin);
FQ_HANDLER(fq_api_session_totp_confirm);
/* users.c */
FQ_HANDLER(fq_api_roles_list);
FQ_HANDLER(fq_api_users_list);
FQ_HANDLER(fq_api_users_create);
FQ_HANDLER(fq_api_users_get);
FQ_HANDLER(fq_api_users_update);
FQ_HANDLER(fq_api_users_role);
FQ_HANDLER(fq_api_users_unlock);
FQ_HANDLER(fq_api_users_password);
FQ_HANDLER(fq_api_users_totp_reset);
/* orgs.c */
FQ_HANDLER(fq_api_orgs_list);
FQ_HANDLER(fq_api_orgs_create);
FQ_HANDLER(fq_api_orgs_get);
FQ_HANDLER(fq_api_orgs_update);
/* addresses.c */
FQ_HANDLER(fq_api_addresses_list);
FQ_HANDLER(fq_api_addresses_create);
FQ_HANDLER(fq_api_addresses_get);
FQ_HANDLER(fq_api_addresses_update);
/* persons.c */
FQ_HANDLER(fq_api_persons_list);
FQ_HANDLER(fq_api_persons_create);
FQ_HANDLER(fq_api_persons_get);
FQ_HANDLER(fq_api_persons_update);
FQ_HANDLER(fq_api_persons_unmask);
FQ_HANDLER(fq_api_persons_timeline);
/* incidents.c */
FQ_HANDLER(fq_api_incidents_dictionary);
FQ_HANDLER(fq_api_incidents_board);
FQ_HANDLER(fq_api_incidents_daily_clear);
FQ_HANDLER(fq_api_incidents_list);
FQ_HANDLER(fq_api_incidents_create);
FQ_HANDLER(fq_api_incidents_get);
FQ_HANDLER(fq_api_incidents_update);
FQ_HANDLER(fq_api_incidents_dispatch);
FQ_HANDLER(fq_api_incidents_arrive);
FQ_HANDLER(fq_api_incidents_handle);
FQ_HANDLER(fq_api_incidents_close);
FQ_HANDLER(fq_api_incidents_followup);
FQ_HANDLER(fq_api_incidents_add_party);
FQ_HANDLER(fq_api_incidents_onsite_create);
FQ_HANDLER(fq_api_incidents_onsite_get);
FQ_HANDLER(fq_api_incidents_convert);
FQ_HANDLER(fq_api_incidents_carry_over);
/* duty.c */
FQ_HANDLER(fq_api_duty_template_get);
FQ_HANDLER(fq_api_duty_template_put);
FQ_HANDLER(fq_api_duty_posture_get);
FQ_HANDLER(fq_api_duty_posture_put);
FQ_HANDLER(fq_api_duty_staff);
FQ_HANDLER(fq_api_shifts_list);
FQ_HANDLER(fq_api_shifts_create);
FQ_HANDLER(fq_api_shifts_current);
FQ_HANDLER(fq_api_shifts_get);
FQ_HANDLER(fq_api_shifts_update);
FQ_HANDLER(fq_api_handovers_list);
FQ_HANDLER(fq_api_handovers_create);
FQ_HANDLER(fq_api_handovers_open_items);
FQ_HANDLER(fq_api_handovers_get);
FQ_HANDLER(fq_api_handovers_sign);
FQ_HANDLER(fq_api_patrols_list);
FQ_HANDLER(fq_api_patrols_create);
FQ_HANDLER(fq_api_patrols_get);
FQ_HANDLER(fq_api_patrols_checkin);
FQ_HANDLER(fq_api_patrols_end);
/* search.c */
FQ_HANDLER(fq_api_search);
/* audit.c */
FQ_HANDLER(fq_api_audit_list);
FQ_HANDLER(fq_api_audit_verify);

#endif
