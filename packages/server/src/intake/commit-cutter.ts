/**
 * A TCP proxy in front of PostgreSQL that can lose the answer to one COMMIT: once armed with a
 * marker, it watches each client connection for a transaction whose statements carry the marker
 * (as text in a query or its bound parameters), forwards that transaction's COMMIT to the server,
 * and cuts the connection when the server answers. The commit takes effect in the database; the
 * client only sees its connection drop — what a failover or a network fault at that moment does.
 */
import net from 'node:net';

const COMMIT = Buffer.from('commit\0', 'utf8');

export class CommitCutter {
  private marker: Buffer | null = null;
  private cuts = 0;
  private readonly sockets = new Set<net.Socket>();

  private constructor(private readonly server: net.Server) {}

  static async open(upstreamHost: string, upstreamPort: number): Promise<CommitCutter> {
    const holder: { cutter?: CommitCutter } = {};
    const server = net.createServer((client) => holder.cutter!.relay(client, upstreamHost, upstreamPort));
    holder.cutter = new CommitCutter(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return holder.cutter;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Connections cut so far. */
  get cut(): number {
    return this.cuts;
  }

  /** Loses the answer to the next COMMIT of a transaction whose statements contain `marker`. */
  arm(marker: string): void {
    this.marker = Buffer.from(marker, 'utf8');
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: net.Socket, host: string, port: number): void {
    const upstream = net.connect({ host, port });
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    let marked = false;
    let cutOnAnswer = false;
    client.on('data', (chunk: Buffer) => {
      if (this.marker && chunk.includes(this.marker)) marked = true;
      // Lower-case `commit`, as the pg driver sends it for a transaction's end.
      if (marked && chunk.includes(COMMIT)) {
        marked = false;
        cutOnAnswer = true;
        this.marker = null;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (cutOnAnswer) {
        this.cuts++;
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }
}
