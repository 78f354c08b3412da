import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * When the server stops, every connection without a request in flight is closed at once, and each
 * other one as soon as its response has gone out. Node closes only keep-alive connections it calls
 * idle, and a connection that has not sent its first request (a browser's or a proxy's spare one)
 * is not: it held shutdown until its keep-alive time ran out, 72 s.
 */
export function closeQuietConnectionsOnStop(app: FastifyInstance) {
  const open = new Set<Socket>();
  const busy = new Set<Socket>();
  let stopping = false;
  const close = (socket: Socket) => socket.end(() => socket.destroy());
  app.server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  app.server.on('request', (request: { socket: Socket }, response: NodeJS.EventEmitter) => {
    const { socket } = request;
    busy.add(socket);
    response.once('close', () => {
      busy.delete(socket);
      if (stopping) close(socket);
    });
  });
  app.addHook('preClose', async () => {
    stopping = true;
    for (const socket of open) if (!busy.has(socket)) close(socket);
  });
}
