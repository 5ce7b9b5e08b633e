/**
 * A byte pipe to the bus. Chunks arrive with arbitrary boundaries (partial frames, several frames
 * at once); the control panel and peripheral reassemble them with a FrameDecoder.
 */
export interface Transport {
  readonly connected: boolean;
  open(): Promise<void>;
  close(): Promise<void>;
  /** Queues bytes for sending; a write while disconnected is dropped (the reply timeout handles it). */
  write(data: Uint8Array): void;
  onData(listener: (chunk: Uint8Array) => void): () => void;
  /** Called with `false` on every disconnect, so a half-received frame can be discarded. */
  onConnectionChange(listener: (connected: boolean, error?: Error) => void): () => void;
}

/** Listener bookkeeping shared by the transports. */
export abstract class BaseTransport implements Transport {
  private readonly dataListeners = new Set<(chunk: Uint8Array) => void>();
  private readonly connectionListeners = new Set<(connected: boolean, error?: Error) => void>();

  abstract readonly connected: boolean;
  abstract open(): Promise<void>;
  abstract close(): Promise<void>;
  abstract write(data: Uint8Array): void;

  onData(listener: (chunk: Uint8Array) => void): () => void {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }

  onConnectionChange(listener: (connected: boolean, error?: Error) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  protected deliver(chunk: Uint8Array): void {
    for (const listener of [...this.dataListeners]) listener(chunk);
  }

  protected announce(connected: boolean, error?: Error): void {
    for (const listener of [...this.connectionListeners]) listener(connected, error);
  }
}
