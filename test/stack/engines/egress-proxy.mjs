// The only way out for docker build containers: an HTTP CONNECT proxy listening on the engine bridge's own address,
// forwarding to an allowlist of host:port (PyPI by default) and refusing everything else. It replaces NAT: no
// ip_forward, no MASQUERADE, no iptables rule on the host, and a container can reach nothing but the package index.
// pip honours HTTPS_PROXY, which the docker CLI hands to every build (config.json "proxies").
//   node egress-proxy.mjs LISTEN_HOST LISTEN_PORT host:port[,host:port…] [OWNER_DIR]
// OWNER_DIR is unused here: it puts the engine's directory in this process's command line, which is how a later
// run finds (and stops) a proxy whose test process was killed.
import net from 'node:net';

const [listenHost, listenPort, allowList] = process.argv.slice(2);
const allowed = new Set((allowList ?? '').split(',').filter(Boolean));

const server = net.createServer((client) => {
  let head = Buffer.alloc(0);
  const onData = (chunk) => {
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) {
      if (head.length > 16384) client.destroy();
      return;
    }
    client.off('data', onData);
    const [method, target] = head.subarray(0, end).toString('latin1').split('\r\n')[0].split(' ');
    if (method !== 'CONNECT' || !allowed.has(target)) {
      process.stderr.write(`refused ${method} ${target}\n`);
      client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    process.stderr.write(`connect ${target}\n`);
    const i = target.lastIndexOf(':');
    const upstream = net.connect(Number(target.slice(i + 1)), target.slice(0, i), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      const rest = head.subarray(end + 4);
      if (rest.length) upstream.write(rest);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    upstream.on('error', () => {
      if (!client.writableEnded) client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
    });
    client.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
  };
  client.on('data', onData);
  client.on('error', () => {});
});

server.listen(Number(listenPort), listenHost, () => {
  process.stdout.write(`listening ${listenHost}:${server.address().port}\n`);
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
