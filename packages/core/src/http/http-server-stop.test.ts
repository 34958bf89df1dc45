import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { silentLogger } from '../logging/logger';
import { BotHttpServer } from './http-server';

const upgradeRequest = (path: string) =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';

describe('BotHttpServer.stop with WebSockets open', () => {
  it('closes a WebSocket whose client answers, at once', async () => {
    const http = new BotHttpServer({ host: '127.0.0.1', port: 0, log: silentLogger });
    http.websocket('/live', () => {});
    await http.start();
    const socket = new WebSocket(`${http.url.replace('http', 'ws')}/live`);
    await new Promise((resolve, reject) => {
      socket.on('open', resolve);
      socket.on('error', reject);
    });
    const closed = new Promise<number>((resolve) => socket.on('close', resolve));
    const began = Date.now();
    await http.stop();
    expect(Date.now() - began).toBeLessThan(900);
    expect(await closed).toBe(1001);
  });

  it('cuts a WebSocket whose client never answers the close, within about a second', async () => {
    const http = new BotHttpServer({ host: '127.0.0.1', port: 0, log: silentLogger });
    http.websocket('/live', () => {});
    await http.start();
    const { port } = new URL(http.url);
    const silent = connect(Number(port), '127.0.0.1');
    let received = '';
    silent.setEncoding('latin1').on('data', (chunk: string) => {
      received += chunk;
    });
    const ended = new Promise<void>((resolve) => silent.on('close', () => resolve()));
    silent.write(upgradeRequest('/live'));
    while (!received.includes('101 Switching Protocols'))
      await new Promise((resolve) => setTimeout(resolve, 10));
    const began = Date.now();
    await http.stop();
    const took = Date.now() - began;
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(3000);
    await ended;
    silent.destroy();
  });
});
