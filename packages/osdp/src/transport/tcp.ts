import net from 'node:net';
import { OsdpError } from '../errors.js';
import { BaseTransport } from './transport.js';

export interface TcpClientOptions {
  readonly host: string;
  readonly port: number;
  /** Wait between connection attempts, including after a drop (default 1000 ms). */
  readonly reconnectDelayMs?: number;
}

/**
 * OSDP over TCP, connecting out (typical for a CP reaching a serial-to-IP converter or a PD that
 * listens). Reconnects until closed; while disconnected writes are dropped and the control panel
 * sees reply timeouts, which is how a cut cable looks on RS-485 too.
 */
export class TcpClientTransport extends BaseTransport {
  private socket: net.Socket | null = null;
  private isConnected = false;
  private closing = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly reconnectDelayMs: number;

  constructor(private readonly options: TcpClientOptions) {
    super();
    this.reconnectDelayMs = options.reconnectDelayMs ?? 1000;
  }

  get connected(): boolean {
    return this.isConnected;
  }

  /** Starts connecting and resolves at once; watch `onConnectionChange` or await `connectedOnce`. */
  open(): Promise<void> {
    this.closing = false;
    if (!this.socket && !this.retryTimer) this.connect();
    return Promise.resolve();
  }

  /** Resolves the next time the connection is up (immediately if it is). */
  connectedOnce(): Promise<void> {
    if (this.isConnected) return Promise.resolve();
    return new Promise((resolve) => {
      const off = this.onConnectionChange((connected) => {
        if (!connected) return;
        off();
        resolve();
      });
    });
  }

  close(): Promise<void> {
    this.closing = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const socket = this.socket;
    if (!socket) return Promise.resolve();
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      socket.destroy();
    });
  }

  write(data: Uint8Array): void {
    if (this.isConnected && this.socket) this.socket.write(data);
  }

  private connect(): void {
    const socket = net.connect({ host: this.options.host, port: this.options.port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('connect', () => {
      this.isConnected = true;
      this.announce(true);
    });
    socket.on('data', (chunk: Buffer) => this.deliver(new Uint8Array(chunk)));
    socket.on('error', () => undefined); // 'close' follows and drives the reconnect
    socket.on('close', () => {
      const wasConnected = this.isConnected;
      this.isConnected = false;
      this.socket = null;
      if (wasConnected) this.announce(false);
      if (!this.closing) {
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          if (!this.closing) this.connect();
        }, this.reconnectDelayMs);
      }
    });
  }
}

export interface TcpServerOptions {
  /** 0 picks a free port; read it back from `port` after `open()`. */
  readonly port: number;
  readonly host?: string;
}

/**
 * OSDP over TCP, listening (typical for a PD or a simulator waiting for its CP). One peer at a
 * time: a new connection replaces the previous one, as a CP that reconnects expects.
 */
export class TcpServerTransport extends BaseTransport {
  private server: net.Server | null = null;
  private socket: net.Socket | null = null;

  constructor(private readonly options: TcpServerOptions) {
    super();
  }

  get connected(): boolean {
    return this.socket !== null;
  }

  get port(): number {
    const address = this.server?.address();
    if (!address || typeof address === 'string') throw new OsdpError('osdp.transport_closed', 'not listening');
    return address.port;
  }

  open(): Promise<void> {
    if (this.server) return Promise.resolve();
    const server = net.createServer((socket) => this.accept(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.dropPeer();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Drops the current peer connection (it may reconnect); the listener stays open. */
  dropPeer(): void {
    this.socket?.destroy();
  }

  write(data: Uint8Array): void {
    this.socket?.write(data);
  }

  private accept(socket: net.Socket): void {
    const previous = this.socket;
    this.socket = socket;
    socket.setNoDelay(true);
    previous?.destroy();
    socket.on('data', (chunk: Buffer) => {
      if (this.socket === socket) this.deliver(new Uint8Array(chunk));
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.announce(false);
    });
    this.announce(true);
  }
}
