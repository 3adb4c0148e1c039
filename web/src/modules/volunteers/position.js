// The browser's position when the person allows it: {lat, lng} rounded to
// about 10 cm, or null (no permission, no fix within the wait, no API). A
// place is always named as well; the position only adds to it.
export function currentPosition(geo = globalThis.navigator?.geolocation, waitMs = 8000) {
  if (!geo) return Promise.resolve(null);
  return new Promise((resolve) => {
    geo.getCurrentPosition(
      (pos) =>
        resolve({
          lat: Math.round(pos.coords.latitude * 1e6) / 1e6,
          lng: Math.round(pos.coords.longitude * 1e6) / 1e6,
        }),
      () => resolve(null),
      { timeout: waitMs, maximumAge: 60000 },
    );
  });
}
