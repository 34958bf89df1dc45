import { Agent, request as httpRequest } from 'node:http';
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

describe('BotHttpServer.stop with plain connections open', () => {
  const started = async () => {
    const http = new BotHttpServer({ host: '127.0.0.1', port: 0, log: silentLogger });
    await http.start();
    return { http, port: Number(new URL(http.url).port) };
  };

  it('does not wait for a connection that never sent a request (a browser connects ahead)', async () => {
    const { http, port } = await started();
    const early = connect(port, '127.0.0.1');
    await new Promise((resolve) => early.once('connect', resolve));
    const ended = new Promise<void>((resolve) => early.once('close', () => resolve()));
    const began = Date.now();
    await http.stop();
    expect(Date.now() - began).toBeLessThan(900);
    await ended;
  });

  it('closes a kept-alive connection after its request, and lets a request in flight finish', async () => {
    const { http, port } = await started();
    let release: (() => void) | undefined;
    http.mount('/slow', async () => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return new Response('slow and whole');
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 2 });
    const get = (path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        httpRequest({ host: '127.0.0.1', port, path, agent }, (response) => {
          let body = '';
          response.setEncoding('utf8').on('data', (chunk: string) => {
            body += chunk;
          });
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        })
          .on('error', reject)
          .end();
      });
    expect((await get('/health')).status).toBe(200);
    const slow = get('/slow');
    while (!release) await new Promise((resolve) => setTimeout(resolve, 10));
    const began = Date.now();
    const stopped = http.stop();
    await new Promise((resolve) => setTimeout(resolve, 100));
    release?.();
    expect(await slow).toEqual({ status: 200, body: 'slow and whole' });
    await stopped;
    expect(Date.now() - began).toBeLessThan(900);
    agent.destroy();
  });

  it('cuts a request that is still running five seconds after the stop', async () => {
    const { http, port } = await started();
    let arrived = false;
    http.mount('/never', async () => {
      arrived = true;
      return new Promise<Response>(() => {});
    });
    const client = connect(port, '127.0.0.1');
    const ended = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.write('GET /never HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    while (!arrived) await new Promise((resolve) => setTimeout(resolve, 10));
    const began = Date.now();
    await http.stop();
    const took = Date.now() - began;
    expect(took).toBeGreaterThanOrEqual(4900);
    expect(took).toBeLessThan(7000);
    await ended;
  }, 15_000);
});
