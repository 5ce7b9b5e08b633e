import { BaseTransport } from './transport.js';

/**
 * One end of an in-process link. Bytes written reach the other end on a later tick, like a real
 * wire, never synchronously. `cut()` simulates a cable pull on both ends.
 */
export class MemoryTransport extends BaseTransport {
  peer: MemoryTransport | null = null;
  private isOpen = false;
  private linked = true;

  get connected(): boolean {
    return this.isOpen && this.linked && (this.peer?.isOpen ?? false);
  }

  open(): Promise<void> {
    this.isOpen = true;
    this.announce(true);
    if (this.peer?.isOpen) this.peer.announce(true);
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (this.isOpen) {
      this.isOpen = false;
      this.announce(false);
      if (this.peer?.isOpen) this.peer.announce(false);
    }
    return Promise.resolve();
  }

  write(data: Uint8Array): void {
    const peer = this.peer;
    if (!this.connected || !peer) return;
    const copy = data.slice();
    setImmediate(() => {
      if (peer.connected) peer.deliver(copy);
    });
  }

  /** Disconnects both ends until `restore()`. */
  cut(): void {
    if (!this.linked) return;
    this.linked = false;
    if (this.peer) this.peer.linked = false;
    this.announce(false);
    this.peer?.announce(false);
  }

  restore(): void {
    if (this.linked) return;
    this.linked = true;
    if (this.peer) this.peer.linked = true;
    this.announce(true);
    this.peer?.announce(true);
  }
}

export function createMemoryLink(): [MemoryTransport, MemoryTransport] {
  const a = new MemoryTransport();
  const b = new MemoryTransport();
  a.peer = b;
  b.peer = a;
  return [a, b];
}
