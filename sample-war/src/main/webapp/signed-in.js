// Where the shop's "Sign in again" window lands: tells the shop (same origin only) and closes itself.
'use strict';
if (window.opener && !window.opener.closed) {
  window.opener.postMessage({ type: 'pet-shop:signed-in' }, window.location.origin);
  window.close();
}
