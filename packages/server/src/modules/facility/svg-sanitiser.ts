/**
 * Floor plans arrive from CAD exports, drawing tools and e-mail attachments, and are shown to
 * operators inside the console, so a plan is treated as hostile: parsed with a real XML parser
 * (no DTDs, so no entity expansion or external entities), then rebuilt element by element from
 * the allowlist. Active or external content is refused with a list of what was found, so the
 * author can fix the export; harmless noise (comments, editor metadata) is dropped and reported.
 */
import { createHash } from 'node:crypto';
import { DOMImplementation, DOMParser, XMLSerializer, type Document, type Element, type Node } from '@xmldom/xmldom';
import { facilityError } from './errors.js';
import {
  ALLOWED_ATTRIBUTES,
  ALLOWED_ELEMENTS,
  DATA_ATTRIBUTE,
  RASTER_DATA_URL,
  SVG_NS,
  TEXT_ELEMENTS,
  UNSAFE_ELEMENTS,
  XHTML_NS,
  XLINK_NS,
  XML_NS,
} from './svg-allowlist.js';

export interface SanitiseLimits {
  /** Largest accepted plan, in bytes of UTF-8. */
  readonly maxBytes: number;
  readonly maxElements: number;
  readonly maxDepth: number;
}

export const DEFAULT_PLAN_LIMITS: SanitiseLimits = { maxBytes: 10 * 1024 * 1024, maxElements: 100_000, maxDepth: 64 };

export interface PlanViewBox {
  readonly minX: number;
  readonly minY: number;
  readonly width: number;
  readonly height: number;
}

export interface SanitisedPlan {
  readonly svg: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly viewBox: PlanViewBox;
  /** What was dropped as harmless noise (comments, editor metadata, unknown attributes). */
  readonly removed: string[];
}

const MAX_FINDINGS = 20;

export function sanitiseFloorPlan(input: string | Uint8Array, limits: SanitiseLimits = DEFAULT_PLAN_LIMITS): SanitisedPlan {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (size > limits.maxBytes) {
    throw facilityError('facility.svg_too_large', `The floor plan is ${size} bytes; the limit is ${limits.maxBytes}`, {
      bytes: size,
      maxBytes: limits.maxBytes,
    });
  }
  const text = decode(input);
  // A DTD is never needed for SVG and is how entity expansion (billion laughs) and external
  // entities (XXE) get in; refuse it before the parser sees it.
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
    throw unsafe(['DOCTYPE or ENTITY declaration (DTDs and entities are not allowed in a floor plan)']);
  }
  const source = parse(text);
  const root = source.documentElement;
  if (!root || root.localName !== 'svg' || (root.namespaceURI !== SVG_NS && root.namespaceURI !== null)) {
    throw facilityError('facility.svg_invalid', 'The floor plan’s root element is not <svg>', {});
  }
  const rebuilder = new Rebuilder(limits, root.namespaceURI);
  const output = rebuilder.rebuildDocument(source);
  if (rebuilder.findings.size > 0) throw unsafe([...rebuilder.findings]);

  const viewBox = establishViewBox(output.root);
  const svg = new XMLSerializer().serializeToString(output.document);
  return {
    svg,
    sha256: createHash('sha256').update(svg).digest('hex'),
    bytes: Buffer.byteLength(svg, 'utf8'),
    viewBox,
    removed: [...rebuilder.removed],
  };
}

function decode(input: string | Uint8Array): string {
  if (typeof input === 'string') return input.replace(/^\uFEFF/, '');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(input);
  } catch {
    throw facilityError('facility.svg_invalid', 'The floor plan is not UTF-8 text', {});
  }
}

function parse(text: string): Document {
  const problems: string[] = [];
  let document: Document;
  try {
    document = new DOMParser({
      locator: true,
      onError: (level, message) => {
        if (level !== 'warning') problems.push(message);
      },
    }).parseFromString(text, 'image/svg+xml');
  } catch (e) {
    throw facilityError('facility.svg_invalid', `The floor plan is not well-formed XML: ${(e as Error).message.split('\n')[0]}`, {});
  }
  if (problems.length > 0) {
    throw facilityError('facility.svg_invalid', `The floor plan is not well-formed XML: ${problems[0]}`, { errors: problems.slice(0, 10) });
  }
  return document;
}

function unsafe(findings: string[]) {
  const listed = findings.slice(0, MAX_FINDINGS);
  return facilityError('facility.svg_unsafe', `The floor plan contains active or external content: ${listed.join('; ')}`, {
    findings: listed,
  });
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;
const PROCESSING_INSTRUCTION_NODE = 7;
const COMMENT_NODE = 8;

class Rebuilder {
  readonly findings = new Set<string>();
  readonly removed = new Set<string>();
  private elements = 0;
  private readonly output: Document;
  private readonly outputRoot: Element;

  constructor(
    private readonly limits: SanitiseLimits,
    /** SVG, or null for a plan that declares no namespace at all (read as SVG). */
    private readonly svgNamespace: string | null,
  ) {
    this.output = new DOMImplementation().createDocument(SVG_NS, '', null);
    this.outputRoot = this.output.createElementNS(SVG_NS, 'svg');
    this.output.appendChild(this.outputRoot);
  }

  rebuildDocument(source: Document): { document: Document; root: Element } {
    // Comments and processing instructions (xml-stylesheet can load CSS) around the root go too.
    for (let node: Node | null = source.firstChild; node; node = node.nextSibling) {
      if (node.nodeType === COMMENT_NODE) this.removed.add('comments');
      if (node.nodeType === PROCESSING_INSTRUCTION_NODE) this.removed.add('processing instructions');
    }
    const root = source.documentElement as Element;
    this.copyAttributes(root, this.outputRoot);
    this.copyChildren(root, this.outputRoot, 1);
    return { document: this.output, root: this.outputRoot };
  }

  private copyChildren(from: Element, to: Element, depth: number): void {
    this.checkDepth(depth);
    const keepsText = TEXT_ELEMENTS.has(from.localName ?? '');
    for (let child: Node | null = from.firstChild; child; child = child.nextSibling) {
      switch (child.nodeType) {
        case ELEMENT_NODE:
          this.copyElement(child as Element, to, depth);
          break;
        case TEXT_NODE:
        case CDATA_SECTION_NODE:
          if (keepsText) {
            const data = child.nodeValue ?? '';
            if (from.localName === 'style') this.checkCss(data, '<style> element');
            to.appendChild(this.output.createTextNode(data));
          }
          break;
        case COMMENT_NODE:
          this.removed.add('comments');
          break;
        case PROCESSING_INSTRUCTION_NODE:
          this.removed.add('processing instructions');
          break;
        default:
          this.removed.add(`node of type ${child.nodeType}`);
      }
    }
  }

  private copyElement(element: Element, parent: Element, depth: number): void {
    this.countElement();
    const name = element.localName ?? element.nodeName;
    const isSvg = element.namespaceURI === SVG_NS || (this.svgNamespace === null && element.namespaceURI === null);
    if (this.isUnsafeElement(element, name, isSvg)) return;
    if (!isSvg || !ALLOWED_ELEMENTS.has(name)) {
      this.removed.add(`<${element.nodeName}> elements`);
      // Dropped, but still searched: a script hidden in editor metadata is still a script.
      this.scan(element, depth + 1);
      return;
    }
    const copy = this.output.createElementNS(SVG_NS, name);
    this.copyAttributes(element, copy);
    parent.appendChild(copy);
    this.copyChildren(element, copy, depth + 1);
  }

  private isUnsafeElement(element: Element, name: string, isSvg: boolean): boolean {
    if (element.namespaceURI === XHTML_NS) {
      this.findings.add(`HTML <${name}> element`);
      return true;
    }
    if (name === 'script' || (isSvg && UNSAFE_ELEMENTS.has(name))) {
      this.findings.add(`<${name}> element`);
      return true;
    }
    return false;
  }

  /** Looks through a dropped subtree for anything that would have been refused. */
  private scan(element: Element, depth: number): void {
    this.checkDepth(depth);
    this.inspectAttributes(element);
    for (let child: Node | null = element.firstChild; child; child = child.nextSibling) {
      if (child.nodeType !== ELEMENT_NODE) continue;
      this.countElement();
      const el = child as Element;
      const name = el.localName ?? el.nodeName;
      const isSvg = el.namespaceURI === SVG_NS || (this.svgNamespace === null && el.namespaceURI === null);
      if (!this.isUnsafeElement(el, name, isSvg)) this.scan(el, depth + 1);
    }
  }

  private checkDepth(depth: number): void {
    if (depth > this.limits.maxDepth) {
      throw facilityError('facility.svg_too_large', `The floor plan nests elements deeper than ${this.limits.maxDepth} levels`, {
        maxDepth: this.limits.maxDepth,
      });
    }
  }

  private countElement(): void {
    if (++this.elements > this.limits.maxElements) {
      throw facilityError('facility.svg_too_large', `The floor plan has more than ${this.limits.maxElements} elements`, {
        maxElements: this.limits.maxElements,
      });
    }
  }

  /** Refusal checks that apply to every attribute, kept or not. */
  private inspectAttributes(element: Element): void {
    for (const attribute of Array.from(element.attributes)) {
      const local = attribute.localName ?? attribute.name;
      if (/^on/i.test(local)) this.findings.add(`${attribute.name} event-handler attribute on <${element.nodeName}>`);
      if (/^(?:java|vb)script:/i.test(attribute.value.replace(/[\s\p{Cc}]/gu, ''))) {
        this.findings.add(`script URL in ${attribute.name} on <${element.nodeName}>`);
      }
    }
  }

  private copyAttributes(from: Element, to: Element): void {
    this.inspectAttributes(from);
    const element = `<${from.nodeName}>`;
    for (const attribute of Array.from(from.attributes)) {
      const local = attribute.localName ?? attribute.name;
      const ns = attribute.namespaceURI;
      const value = attribute.value;
      if (/^on/i.test(local) || attribute.name === 'xmlns' || attribute.prefix === 'xmlns') continue;
      if (local === 'href' && (ns === null || ns === XLINK_NS)) {
        if (this.checkHref(value, from.localName ?? '', `${attribute.name} on ${element}`)) {
          if (ns === XLINK_NS) to.setAttributeNS(XLINK_NS, 'xlink:href', value);
          else to.setAttribute('href', value);
        }
        continue;
      }
      if (ns === XML_NS && (local === 'space' || local === 'lang')) {
        to.setAttributeNS(XML_NS, `xml:${local}`, value);
        continue;
      }
      const known = ns === null && (ALLOWED_ATTRIBUTES.has(local) || DATA_ATTRIBUTE.test(local));
      if (!known) {
        this.removed.add(`${attribute.name} attributes`);
        continue;
      }
      if (local === 'style') this.checkCss(value, `style attribute on ${element}`);
      else this.checkUrls(value, `${local} attribute on ${element}`);
      to.setAttribute(local, value);
    }
  }

  /** Only same-document fragments (`#id`), and raster data URLs on <image>. */
  private checkHref(value: string, elementName: string, where: string): boolean {
    const trimmed = value.trim();
    if (/^#[^\s#]+$/.test(trimmed)) return true;
    if (elementName === 'image' && RASTER_DATA_URL.test(trimmed)) return true;
    const compact = trimmed.replace(/[\s\p{Cc}]/gu, '').toLowerCase();
    if (/^(?:java|vb)script:/.test(compact)) return false; // reported by inspectAttributes
    if (compact.startsWith('data:')) this.findings.add(`data: URL that is not a PNG/JPEG/GIF/WebP image in ${where}`);
    else this.findings.add(`external reference ${JSON.stringify(trimmed.slice(0, 80))} in ${where}`);
    return false;
  }

  /** A `url(...)` in a paint or reference attribute must point inside the document. */
  private checkUrls(value: string, where: string): void {
    for (const match of value.matchAll(/url\s*\(\s*(['"]?)([^'")]*)\1\s*\)?/gi)) {
      const target = (match[2] ?? '').trim();
      if (!/^#[^\s#]+$/.test(target)) this.findings.add(`external url(${target.slice(0, 80)}) in ${where}`);
    }
  }

  private checkCss(css: string, where: string): void {
    if (css.includes('\\')) this.findings.add(`CSS escape sequence in ${where} (can hide a URL)`);
    const lower = css.toLowerCase();
    for (const [token, label] of [
      ['@import', '@import'],
      ['@font-face', '@font-face'],
      ['expression(', 'CSS expression()'],
      ['image-set(', 'image-set()'],
      ['-moz-binding', '-moz-binding'],
      ['behavior', 'behavior'],
      ['javascript:', 'javascript: URL'],
    ] as const) {
      if (lower.includes(token)) this.findings.add(`${label} in ${where}`);
    }
    this.checkUrls(css, where);
  }
}

/** The drawing area door positions are measured in: the viewBox, else width and height. */
function establishViewBox(svg: Element): PlanViewBox {
  const viewBox = svg.getAttribute('viewBox');
  if (viewBox) {
    const parts = viewBox
      .trim()
      .split(/[\s,]+/)
      .map(Number);
    const [minX = NaN, minY = NaN, width = NaN, height = NaN] = parts;
    if (parts.length === 4 && parts.every(Number.isFinite) && width > 0 && height > 0) return { minX, minY, width, height };
    throw facilityError(
      'facility.svg_invalid',
      `The floor plan’s viewBox ${JSON.stringify(viewBox)} is not four numbers with a positive size`,
      {},
    );
  }
  const width = lengthOf(svg.getAttribute('width'));
  const height = lengthOf(svg.getAttribute('height'));
  if (width && height) {
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    return { minX: 0, minY: 0, width, height };
  }
  throw facilityError(
    'facility.svg_invalid',
    'The floor plan has no viewBox and no width and height, so positions on it are undefined',
    {},
  );
}

function lengthOf(value: string | null): number | null {
  const match = value?.trim().match(/^(\d+(?:\.\d+)?)(?:px)?$/);
  const n = match ? Number(match[1]) : NaN;
  return Number.isFinite(n) && n > 0 ? n : null;
}
