// What counts as "this machine" for plain http:// and proxies: the literal name `localhost`, the
// 127.0.0.0/8 block and ::1. Nothing resolved through DNS: `evil.localhost` or a name that points at
// 127.0.0.1 today can point elsewhere tomorrow, and the credentials would follow it.

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return m !== null && m.slice(1).every((p) => Number(p) <= 255);
}
