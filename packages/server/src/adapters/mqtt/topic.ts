/**
 * Topic templates: MQTT filters whose whole levels may be named captures.
 * `sites/{site}/devices/{serial}/state` subscribes to `sites/+/devices/+/state` and captures
 * `site` and `serial`; `+` and a final `#` are anonymous wildcards, and a final `{name#}` captures
 * the remaining levels joined by `/`.
 */

type Level = { literal: string } | { capture: string | null } | { rest: string | null };

export interface TopicTemplate {
  readonly template: string;
  /** The filter to subscribe to. */
  readonly filter: string;
  readonly captures: readonly string[];
  match(topic: string): Record<string, string> | null;
}

const CAPTURE = /^\{([a-z][A-Za-z0-9_]*)\}$/;
const REST_CAPTURE = /^\{([a-z][A-Za-z0-9_]*)#\}$/;

/** Throws a plain Error naming the problem; the mapping loader turns it into `config.invalid`. */
export function compileTopic(template: string): TopicTemplate {
  const parts = template.split('/');
  const levels: Level[] = parts.map((part, i) => {
    const last = i === parts.length - 1;
    const capture = CAPTURE.exec(part);
    if (capture) return { capture: capture[1]! };
    const rest = REST_CAPTURE.exec(part);
    if (rest || part === '#') {
      if (!last) throw new Error(`"${part}" must be the last level of ${template}`);
      return { rest: rest ? rest[1]! : null };
    }
    if (part === '+') return { capture: null };
    if (/[+#{}]/.test(part)) throw new Error(`level "${part}" of ${template} mixes text and a wildcard; wildcards take a whole level`);
    return { literal: part };
  });
  const captures = levels.flatMap((l) => ('capture' in l && l.capture ? [l.capture] : 'rest' in l && l.rest ? [l.rest] : []));
  if (new Set(captures).size !== captures.length) throw new Error(`${template} names a capture twice`);
  const filter = levels.map((l) => ('literal' in l ? l.literal : 'capture' in l ? '+' : '#')).join('/');

  return {
    template,
    filter,
    captures,
    match(topic) {
      const got = topic.split('/');
      const out: Record<string, string> = {};
      for (let i = 0; i < levels.length; i++) {
        const level = levels[i]!;
        if ('rest' in level) {
          if (level.rest) out[level.rest] = got.slice(i).join('/');
          return out;
        }
        const value = got[i];
        if (value === undefined) return null;
        if ('literal' in level) {
          if (level.literal !== value) return null;
        } else if (level.capture) {
          if (value === '') return null;
          out[level.capture] = value;
        }
      }
      return got.length === levels.length ? out : null;
    },
  };
}
