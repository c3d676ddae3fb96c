// Stand-in for node:child_process inside commander. Commander loads it at start-up for
// executable subcommands (`git-style` separate binaries), which poscust does not use; loading it
// costs ~5 ms on every command. The real module is loaded on first use.
'use strict';
let real;
module.exports = new Proxy(
  {},
  {
    get(_target, key) {
      real ??= require('node:child_process');
      return real[key];
    },
  },
);
