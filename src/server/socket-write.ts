/**
 * Writing to a client socket with backpressure, shared by the protocol sessions: resolves at once
 * while the socket's buffer has room, otherwise when it drains; rejects with the session's own
 * "connection closed" error if the socket closes first. A slow reader therefore slows its own
 * session down instead of growing the server's memory.
 */
import type { Socket } from 'node:net';

export function writeWithBackpressure(socket: Socket, bytes: Uint8Array, closed: () => Error): Promise<void> {
  if (socket.write(bytes)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (): void => {
      socket.off('drain', onDrain);
      socket.off('close', onClose);
    };
    const onDrain = (): void => {
      done();
      resolve();
    };
    const onClose = (): void => {
      done();
      reject(closed());
    };
    socket.on('drain', onDrain);
    socket.on('close', onClose);
  });
}
