import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVigilError } from '@vigil/core';
import { DOMParser } from '@xmldom/xmldom';
import { sanitiseFloorPlan } from './svg-sanitiser.js';

const NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"';

function refusedWith(code: string, ...mentions: string[]) {
  return (e: unknown) => {
    assert.ok(isVigilError(e), `expected a VigilError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    for (const m of mentions) assert.match(e.message, new RegExp(m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'));
    return true;
  };
}

describe('floor plan sanitiser', () => {
  it('keeps a plain drawing and reports its drawing area', () => {
    const plan = sanitiseFloorPlan(
      `<svg ${NS} viewBox="0 0 800 600"><g id="walls" stroke="#333"><rect x="10" y="10" width="780" height="580" fill="none"/>` +
        `<line x1="400" y1="10" x2="400" y2="590"/></g><text x="200" y="300" font-size="20">Pharmacy vault</text></svg>`,
    );
    assert.deepEqual(plan.viewBox, { minX: 0, minY: 0, width: 800, height: 600 });
    assert.match(plan.svg, /<rect x="10" y="10" width="780" height="580" fill="none"\/>/);
    assert.match(plan.svg, /<text x="200" y="300" font-size="20">Pharmacy vault<\/text>/);
    assert.match(plan.sha256, /^[0-9a-f]{64}$/);
    assert.deepEqual(plan.removed, []);
  });

  it('refuses a <script> element and names it', () => {
    assert.throws(
      () => sanitiseFloorPlan(`<svg ${NS} viewBox="0 0 10 10"><script>alert(document.cookie)</script><rect width="1" height="1"/></svg>`),
      refusedWith('facility.svg_unsafe', '<script> element'),
    );
  });

  it('refuses an onload attribute', () => {
    assert.throws(
      () => sanitiseFloorPlan(`<svg ${NS} viewBox="0 0 10 10" onload="fetch('//evil')"><rect width="1" height="1"/></svg>`),
      refusedWith('facility.svg_unsafe', 'onload event-handler attribute on <svg>'),
    );
  });

  it('refuses a javascript: href, even when split with entities and blanks', () => {
    assert.throws(
      () =>
        sanitiseFloorPlan(`<svg ${NS} viewBox="0 0 10 10"><a href="&#106;ava&#x0A;script:alert(1)"><rect width="5" height="5"/></a></svg>`),
      refusedWith('facility.svg_unsafe', 'script URL in href on <a>'),
    );
  });

  it('refuses an external xlink:href on <use> and <image>', () => {
    assert.throws(
      () => sanitiseFloorPlan(`<svg ${NS} viewBox="0 0 10 10"><use xlink:href="https://evil.example/sprite.svg#door"/></svg>`),
      refusedWith('facility.svg_unsafe', 'external reference "https://evil.example/sprite.svg#door" in xlink:href on <use>'),
    );
    assert.throws(
      () => sanitiseFloorPlan(`<svg ${NS} viewBox="0 0 10 10"><image href="file:///etc/passwd" width="1" height="1"/></svg>`),
      refusedWith('facility.svg_unsafe', 'external reference'),
    );
    assert.throws(
      () =>
        sanitiseFloorPlan(
          `<svg ${NS} viewBox="0 0 10 10"><image href="data:image/svg+xml;base64,PHN2Zz48c2NyaXB0Lz48L3N2Zz4=" width="1" height="1"/></svg>`,
        ),
      refusedWith('facility.svg_unsafe', 'data: URL that is not a PNG/JPEG/GIF/WebP image'),
    );
  });

  it('keeps local references and embedded raster backgrounds', () => {
    const plan = sanitiseFloorPlan(
      `<svg ${NS} viewBox="0 0 10 10"><defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient>` +
        `<symbol id="door"><rect width="1" height="2"/></symbol></defs><use xlink:href="#door" x="2"/>` +
        `<rect width="4" height="4" fill="url(#g)"/><image href="data:image/png;base64,iVBORw0KGgo=" width="10" height="10"/></svg>`,
    );
    assert.match(plan.svg, /xlink:href="#door"/);
    assert.match(plan.svg, /fill="url\(#g\)"/);
    assert.match(plan.svg, /href="data:image\/png;base64,iVBORw0KGgo="/);
  });

  it('refuses entity expansion (billion laughs) and external entities before parsing', () => {
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
      '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>' +
      `<svg ${NS} viewBox="0 0 10 10"><text>&lol2;</text></svg>`;
    assert.throws(() => sanitiseFloorPlan(laughs), refusedWith('facility.svg_unsafe', 'DOCTYPE'));
    const xxe = `<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><svg ${NS} viewBox="0 0 10 10"><text>&xxe;</text></svg>`;
    assert.throws(() => sanitiseFloorPlan(xxe), refusedWith('facility.svg_unsafe', 'DOCTYPE'));
  });

  it('refuses a foreignObject carrying HTML', () => {
    assert.throws(
      () =>
        sanitiseFloorPlan(
          `<svg ${NS} viewBox="0 0 10 10"><foreignObject width="10" height="10"><body xmlns="http://www.w3.org/1999/xhtml">` +
            `<iframe src="https://evil.example"/></body></foreignObject></svg>`,
        ),
      refusedWith('facility.svg_unsafe', '<foreignObject> element'),
    );
  });

  it('refuses url(http...) in a style attribute, a <style> element and a presentation attribute', () => {
    assert.throws(
      () =>
        sanitiseFloorPlan(`<svg ${NS} viewBox="0 0 10 10"><rect width="1" height="1" style="fill: url(http://evil.example/x#p)"/></svg>`),
      refusedWith('facility.svg_unsafe', 'external url(http://evil.example/x#p) in style attribute on <rect>'),
    );
    assert.throws(
      () =>
        sanitiseFloorPlan(`<svg ${NS} viewBox="0 0 10 10"><style>@import "https://evil.example/a.css"; rect { fill: red }</style></svg>`),
      refusedWith('facility.svg_unsafe', '@import in <style> element'),
    );
    assert.throws(
      () => sanitiseFloorPlan(`<svg ${NS} viewBox="0 0 10 10"><rect width="1" height="1" mask="url('//evil.example/m.svg#m')"/></svg>`),
      refusedWith('facility.svg_unsafe', 'mask attribute on <rect>'),
    );
    assert.throws(
      () => sanitiseFloorPlan(`<svg ${NS} viewBox="0 0 10 10"><style>rect { fill: u\\72l(http://x) }</style></svg>`),
      refusedWith('facility.svg_unsafe', 'CSS escape sequence'),
    );
  });

  it('refuses scripts hidden inside dropped editor metadata and HTML-namespace scripts', () => {
    assert.throws(
      () =>
        sanitiseFloorPlan(
          `<svg ${NS} xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" viewBox="0 0 10 10">` +
            `<metadata><inkscape:x><script>1</script></inkscape:x></metadata></svg>`,
        ),
      refusedWith('facility.svg_unsafe', '<script> element'),
    );
    assert.throws(
      () => sanitiseFloorPlan(`<svg ${NS} viewBox="0 0 10 10"><h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script></svg>`),
      refusedWith('facility.svg_unsafe', 'HTML <script> element'),
    );
  });

  it('refuses animation that could rewrite a link after sanitising', () => {
    assert.throws(
      () => sanitiseFloorPlan(`<svg ${NS} viewBox="0 0 10 10"><a href="#x"><set attributeName="href" to="javascript:alert(1)"/></a></svg>`),
      refusedWith('facility.svg_unsafe', '<set> element'),
    );
  });

  it('lists every finding, not just the first', () => {
    assert.throws(
      () => sanitiseFloorPlan(`<svg ${NS} viewBox="0 0 10 10" onclick="x()"><script/><foreignObject/></svg>`),
      (e) => {
        assert.ok(isVigilError(e), String(e));
        assert.deepEqual(e.details['findings'], [
          'onclick event-handler attribute on <svg>',
          '<script> element',
          '<foreignObject> element',
        ]);
        return true;
      },
    );
  });

  it('strips comments, processing instructions, editor metadata and unknown attributes, and says so', () => {
    const plan = sanitiseFloorPlan(
      `<?xml version="1.0"?><?xml-stylesheet href="https://evil.example/a.css"?><!-- exported by CAD -->` +
        `<svg ${NS} xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" width="100" height="50">` +
        `<sodipodi:namedview pagecolor="#fff"/><metadata>rdf</metadata><g sodipodi:role="line" data-zone="icu"><!-- wall -->` +
        `<rect width="1" height="1"/></g></svg>`,
    );
    assert.doesNotMatch(plan.svg, /CAD|wall|sodipodi|metadata|xml-stylesheet|evil/);
    assert.match(plan.svg, /data-zone="icu"/);
    assert.ok(plan.removed.includes('comments'));
    assert.ok(plan.removed.includes('processing instructions'));
    assert.ok(plan.removed.includes('<sodipodi:namedview> elements'));
    assert.ok(plan.removed.includes('sodipodi:role attributes'));
    // Without a viewBox the size becomes one, so door positions have a frame of reference.
    assert.deepEqual(plan.viewBox, { minX: 0, minY: 0, width: 100, height: 50 });
    assert.match(plan.svg, /viewBox="0 0 100 50"/);
  });

  it('produces output that parses cleanly and contains only SVG', () => {
    const plan = sanitiseFloorPlan(`<svg viewBox="0 0 10 10"><text x="1" y="2"><![CDATA[Lab <3> & "X-ray"]]></text></svg>`);
    const doc = new DOMParser().parseFromString(plan.svg, 'image/svg+xml');
    assert.equal(doc.documentElement?.namespaceURI, 'http://www.w3.org/2000/svg');
    assert.equal(doc.documentElement?.textContent, 'Lab <3> & "X-ray"');
  });

  it('rejects documents that are not SVG, not well-formed, or have no size', () => {
    assert.throws(() => sanitiseFloorPlan('<html><body/></html>'), refusedWith('facility.svg_invalid', 'root element'));
    assert.throws(() => sanitiseFloorPlan(`<svg ${NS} viewBox="0 0 1 1"><rect></svg>`), refusedWith('facility.svg_invalid', 'well-formed'));
    assert.throws(() => sanitiseFloorPlan(`<svg ${NS}><rect/></svg>`), refusedWith('facility.svg_invalid', 'no viewBox'));
    assert.throws(() => sanitiseFloorPlan(new Uint8Array([0x3c, 0xff, 0xfe])), refusedWith('facility.svg_invalid', 'UTF-8'));
  });

  it('enforces the size, element-count and nesting limits', () => {
    const limits = { maxBytes: 2000, maxElements: 50, maxDepth: 10 };
    assert.throws(
      () => sanitiseFloorPlan(`<svg ${NS} viewBox="0 0 1 1">${' '.repeat(2000)}</svg>`, limits),
      refusedWith('facility.svg_too_large', 'limit is 2000'),
    );
    assert.throws(
      () => sanitiseFloorPlan(`<svg ${NS} viewBox="0 0 1 1">${'<rect/>'.repeat(51)}</svg>`, limits),
      refusedWith('facility.svg_too_large', 'more than 50 elements'),
    );
    assert.throws(
      () => sanitiseFloorPlan(`<svg ${NS} viewBox="0 0 1 1">${'<g>'.repeat(12)}${'</g>'.repeat(12)}</svg>`, limits),
      refusedWith('facility.svg_too_large', 'deeper than 10'),
    );
  });
});
