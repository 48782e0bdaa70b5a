/** Listens on loopback (port 0 = any free port) and resolves to the base URL. */
export function listen(server, port = 0, host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve(`http://${host}:${address.port}`);
    });
  });
}

/** Closes a server, ending idle keep-alive connections so it stops at once. */
export function close(server) {
  return new Promise(
    /** @param {(value?: void) => void} resolve */ (resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections?.();
    },
  );
}
