import { isIPv4 } from 'node:net';

// The queue dashboard has no login of its own: whoever reaches its port can see every job and
// retry or remove it. So it may only listen on the machine's loopback interface, where only
// someone already on the host (or with an SSH tunnel to it) reaches it.

/** 127.0.0.0/8, ::1 (with or without brackets, or IPv4-mapped) and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice('::ffff:'.length) : h;
  return isIPv4(v4) && v4.startsWith('127.');
}
