import type { PendingEvent } from '../../src/core/model/block';

/** A seeded generator (Math.imul LCG: a float multiply collapses to a short cycle) of realistic events. */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

const HOSTS = Array.from({ length: 20 }, (_, i) => `maas-node-${String(i).padStart(2, '0')}`);
const PATHS = ['/MAAS/', '/MAAS/r/machines', '/MAAS/api/2.0/machines/', '/wp-login.php', '/.env', '/MAAS/accounts/login/'];

/** Event `i` of a synthetic case, `spacingMs` apart on average: UFW blocks, Apache requests and syslog lines. */
export function syntheticEvent(random: () => number, i: number, start: number, spacingMs: number): PendingEvent {
  const timestamp = start + Math.floor(i * spacingMs) + Math.floor(random() * spacingMs);
  // Skewed source addresses: a few scanners send most of the traffic.
  const r = random();
  const ipIndex = Math.floor(r * r * r * 5000);
  const sourceIp = `203.0.${(ipIndex >> 8) & 255}.${ipIndex & 255}`;
  const host = HOSTS[Math.floor(random() * HOSTS.length)]!;
  const kind = random();
  if (kind < 0.6) {
    const port = 1 + Math.floor(random() * 65535);
    const raw = `Mar 12 08:00:01 ${host} kernel: [ 1234.567890] [UFW BLOCK] IN=eth0 OUT= SRC=${sourceIp} DST=10.20.0.2 LEN=44 TTL=50 ID=${i & 65535} PROTO=TCP SPT=40000 DPT=${port} WINDOW=1024 SYN `;
    return {
      timestamp, line: i + 1, lineCount: 1, offset: i * 180, raw,
      fields: {
        'event.dataset': 'ufw', 'host.name': host, 'event.action': 'block', 'event.category': ['network'], 'source.ip': sourceIp,
        'destination.ip': '10.20.0.2', 'source.port': 40000, 'destination.port': port, 'network.transport': 'tcp',
        'network.direction': 'inbound', 'process.name': 'kernel', message: raw.slice(40),
      },
    };
  }
  if (kind < 0.85) {
    const path = PATHS[Math.floor(random() * PATHS.length)]!;
    const status = random() < 0.7 ? 200 : 404;
    const raw = `${sourceIp} - - [12/Mar/2026:08:01:02 +0000] "GET ${path}?id=${i} HTTP/1.1" ${status} 512 "-" "Mozilla/5.0 (X11; Linux x86_64)"`;
    return {
      timestamp, line: i + 1, lineCount: 1, offset: i * 180, raw,
      fields: {
        'event.dataset': 'apache.access', 'host.name': host, 'source.ip': sourceIp, 'http.request.method': 'GET',
        'url.original': `${path}?id=${i}`, 'url.path': path, 'url.query': `id=${i}`, 'http.response.status_code': status,
        'http.response.body.bytes': 512, 'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64)',
      },
    };
  }
  const raw = `Mar 12 08:00:01 ${host} systemd[1]: Started Session ${i} of user ubuntu; unit session-${i}.scope finished with result done.`;
  return {
    timestamp, line: i + 1, lineCount: 1, offset: i * 180, raw,
    fields: { 'event.dataset': 'syslog', 'host.name': host, 'process.name': 'systemd', 'process.pid': 1, message: raw.slice(40) },
  };
}
