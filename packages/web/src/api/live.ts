/**
 * The live stream (`/api/live`): one WebSocket per console, shared by every screen. Messages are
 * `{ kind, type, at, site, ... }` with kind alarm, incident, emergency, door or event. The socket
 * reconnects with back-off; each reconnect tells listeners so they refetch what they may have
 * missed (the stream carries changes, not state).
 */
import { useEffect, useRef, useState } from 'react';

export interface LiveMessage {
  kind: 'alarm' | 'incident' | 'emergency' | 'door' | 'event';
  type: string;
  at: string;
  site: string;
  eventId?: string;
  [key: string]: unknown;
}

type Listener = (message: LiveMessage) => void;
type StatusListener = (connected: boolean) => void;

class LiveConnection {
  private socket: WebSocket | null = null;
  private readonly listeners = new Set<Listener>();
  private readonly statusListeners = new Set<StatusListener>();
  private retryMs = 500;
  private closed = true;
  private timer: ReturnType<typeof setTimeout> | undefined;
  connected = false;

  start(): void {
    if (!this.closed) return;
    this.closed = false;
    this.open();
  }

  stop(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.socket?.close();
    this.socket = null;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onStatus(listener: StatusListener): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private setConnected(connected: boolean): void {
    this.connected = connected;
    for (const listener of this.statusListeners) listener(connected);
  }

  private open(): void {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${location.host}/api/live`);
    this.socket = socket;
    socket.onopen = () => {
      this.retryMs = 500;
      socket.send(JSON.stringify({ subscribe: ['alarms', 'incidents', 'emergency', 'doors'] }));
      this.setConnected(true);
    };
    socket.onmessage = (message) => {
      let parsed: LiveMessage;
      try {
        parsed = JSON.parse(String(message.data)) as LiveMessage;
      } catch {
        return;
      }
      for (const listener of this.listeners) listener(parsed);
    };
    socket.onclose = () => {
      if (this.socket === socket) this.socket = null;
      this.setConnected(false);
      if (this.closed) return;
      this.timer = setTimeout(() => this.open(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 10_000);
    };
  }
}

export const live = new LiveConnection();

/** Calls `listener` for each live message of the given kinds while the component is mounted. */
export function useLive(kinds: readonly LiveMessage['kind'][], listener: Listener): void {
  const latest = useRef(listener);
  latest.current = listener;
  const key = kinds.join(',');
  useEffect(() => {
    const wanted = new Set(key.split(','));
    return live.subscribe((message) => {
      if (wanted.has(message.kind)) latest.current(message);
    });
  }, [key]);
}

/** Whether the live stream is connected, and a counter bumped on each reconnect (refetch on change). */
export function useLiveStatus(): { connected: boolean; reconnects: number } {
  const [state, setState] = useState({ connected: live.connected, reconnects: 0 });
  useEffect(
    () =>
      live.onStatus((connected) =>
        setState((previous) => ({
          connected,
          reconnects: connected && !previous.connected ? previous.reconnects + 1 : previous.reconnects,
        })),
      ),
    [],
  );
  return state;
}
