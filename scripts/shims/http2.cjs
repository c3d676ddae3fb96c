// Stand-in for node:http2 inside the bundle. undici's HTTP/2 client module loads node:http2 at
// start-up only to read its constants, and poscust never enables HTTP/2 (undici's `allowH2` is off),
// yet loading it costs ~11 ms on every command. Anything that really tried HTTP/2 fails loudly.
'use strict';
module.exports = {
  constants: {},
  connect() {
    throw new Error('HTTP/2 is not available in the poscust bundle');
  },
};
