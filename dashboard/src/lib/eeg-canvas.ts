// Draws a scrolling multi-channel EEG strip on two stacked canvases:
//  - traces: min/max buckets as vertical segments. The canvas is scrolled by blitting itself
//    left by whole pixels and only new buckets are drawn, so a frame costs O(new data), not
//    O(channels x window) — smooth at 64 channels x 100 points/s on a software rasteriser.
//  - overlay: channel labels, second grid, markers and time ticks, redrawn each frame (cheap).
// x is device time: the right edge is `head`, estimated from arrival times so that scrolling
// is continuous between bursty socket messages.
import type { EegRing } from './eeg-ring';
import { groupColor, groupOf, normaliseLabel } from './montage';

export interface DrawMarker {
  timeUs: number;
  code: string;
  label: string;
}

const BG = '#0b1220';
const GUTTER = 64; // css px for channel labels
const AXIS = 18; // css px for time ticks
const MARKER_COLORS: Record<string, string> = {
  cue_left: '#38bdf8',
  cue_right: '#f472b6',
  cue_feet: '#facc15',
  cue_rest: '#94a3b8',
  trial_start: '#64748b',
  trial_end: '#64748b',
};

export class EegCanvas {
  ring: EegRing | null = null;
  /** Indexes into ring.channels to show, top to bottom. */
  visible: number[] = [];
  uvPerDiv = 50;
  windowUs = 10_000_000;
  markers: DrawMarker[] = [];
  stale = false;

  private readonly tctx: CanvasRenderingContext2D;
  private readonly octx: CanvasRenderingContext2D;
  private dpr = 1;
  private W = 0; // device px of the trace area
  private H = 0;
  private needsFull = true;
  private drawnHeadUs = 0;
  /** Next absolute bucket index not yet considered for drawing. */
  private nextK = 0;
  /** Absolute indexes of buckets that arrived but lie beyond the right edge. */
  private waiting: number[] = [];
  // Clock: device time ≈ performance.now()*1000 + offset.
  private offsetUs = NaN;
  private targetOffsetUs = NaN;
  private offsetSamples: { at: number; off: number }[] = [];
  private lastFrameMs = 0;
  private raf = 0;
  /** Frame-time probe for the benchmark and tests. */
  readonly frameTimes: number[] = [];
  /** Time spent drawing each frame (ms). */
  readonly drawTimes: number[] = [];
  drawnBuckets = 0;

  constructor(
    private readonly traces: HTMLCanvasElement,
    private readonly overlay: HTMLCanvasElement,
  ) {
    this.tctx = traces.getContext('2d', { alpha: false })!;
    this.octx = overlay.getContext('2d')!;
  }

  start(): void {
    const loop = (now: number) => {
      this.raf = requestAnimationFrame(loop);
      if (this.lastFrameMs) {
        this.frameTimes.push(now - this.lastFrameMs);
        if (this.frameTimes.length > 2000) this.frameTimes.splice(0, 1000);
      }
      this.lastFrameMs = now;
      const t0 = performance.now();
      this.frame(now);
      this.drawTimes.push(performance.now() - t0);
      if (this.drawTimes.length > 2000) this.drawTimes.splice(0, 1000);
    };
    this.raf = requestAnimationFrame(loop);
  }

  stop(): void {
    cancelAnimationFrame(this.raf);
  }

  /** Call after changing channels, scale, window or size. */
  invalidate(): void {
    this.needsFull = true;
  }

  setRing(ring: EegRing | null): void {
    this.ring = ring;
    this.nextK = 0;
    this.waiting = [];
    this.offsetUs = NaN;
    this.offsetSamples = [];
    this.needsFull = true;
  }

  /** Tell the clock that data up to `endUs` (device time) arrived now. */
  noteArrival(endUs: number): void {
    const now = performance.now();
    const off = endUs - now * 1000;
    this.offsetSamples.push({ at: now, off });
    while (this.offsetSamples.length && this.offsetSamples[0].at < now - 3000) this.offsetSamples.shift();
    let best = -Infinity;
    for (const s of this.offsetSamples) if (s.off > best) best = s.off;
    this.targetOffsetUs = best;
    if (!Number.isFinite(this.offsetUs) || Math.abs(best - this.offsetUs) > 2_000_000) this.offsetUs = best;
  }

  resize(): void {
    const dpr = window.devicePixelRatio || 1;
    const rect = this.traces.getBoundingClientRect();
    const w = Math.max(1, Math.round(rect.width * dpr));
    const h = Math.max(1, Math.round(rect.height * dpr));
    if (w === this.traces.width && h === this.traces.height && dpr === this.dpr) return;
    this.dpr = dpr;
    for (const c of [this.traces, this.overlay]) {
      c.width = w;
      c.height = h;
    }
    this.needsFull = true;
  }

  private get gutter(): number {
    return Math.round(GUTTER * this.dpr);
  }
  private get axis(): number {
    return Math.round(AXIS * this.dpr);
  }

  headUs(nowMs: number): number {
    if (!Number.isFinite(this.offsetUs)) return this.ring?.lastEndUs ?? 0;
    // Ease toward the lowest-latency estimate (1 s time constant).
    const dt = this.lastFrameMs ? 16 : 0;
    this.offsetUs += (this.targetOffsetUs - this.offsetUs) * Math.min(1, dt / 1000);
    let head = nowMs * 1000 + this.offsetUs - 150_000;
    // With no fresh data the strip stops (stale) rather than scrolling into emptiness.
    if (this.ring && Number.isFinite(this.ring.lastEndUs)) head = Math.min(head, this.ring.lastEndUs + 500_000);
    return head;
  }

  frame(nowMs: number): void {
    const ring = this.ring;
    this.resize();
    const ctx = this.tctx;
    const W = this.traces.width;
    const H = this.traces.height;
    const x0 = this.gutter;
    const plotW = W - x0;
    const plotH = H - this.axis;
    const pxPerUs = plotW / this.windowUs;
    const head = this.headUs(nowMs);
    if (!ring || !Number.isFinite(ring.lastEndUs)) {
      if (this.needsFull) {
        ctx.fillStyle = BG;
        ctx.fillRect(0, 0, W, H);
        this.needsFull = false;
      }
      this.drawOverlay(head, pxPerUs, x0, plotW, plotH);
      return;
    }
    let todo: number[];
    if (this.needsFull) {
      ctx.fillStyle = BG;
      ctx.fillRect(0, 0, W, H);
      this.drawnHeadUs = head;
      this.needsFull = false;
      todo = [];
      for (let k = Math.max(0, ring.written - ring.capacity); k < ring.written; k++) todo.push(k);
      this.waiting = [];
    } else {
      const dx = Math.floor((head - this.drawnHeadUs) * pxPerUs);
      if (dx >= plotW) {
        this.needsFull = true;
        return this.frame(nowMs);
      }
      if (dx > 0) {
        // Scroll: copy the plot area left by dx device pixels, clear the revealed strip.
        ctx.drawImage(this.traces, x0 + dx, 0, plotW - dx, plotH, x0, 0, plotW - dx, plotH);
        ctx.fillStyle = BG;
        ctx.fillRect(W - dx, 0, dx, plotH);
        this.drawnHeadUs += dx / pxPerUs;
      }
      todo = this.waiting;
      this.waiting = [];
      for (let k = Math.max(this.nextK, ring.written - ring.capacity); k < ring.written; k++) todo.push(k);
    }
    this.nextK = ring.written;
    this.drawBuckets(todo, pxPerUs, x0, plotW, plotH);
    this.drawOverlay(this.drawnHeadUs, pxPerUs, x0, plotW, plotH);
  }

  private drawBuckets(ks: number[], pxPerUs: number, x0: number, plotW: number, plotH: number): void {
    const ring = this.ring!;
    const vis = this.visible.filter((c) => c < ring.nCh);
    if (!vis.length || !ks.length) return;
    const ctx = this.tctx;
    const n = vis.length;
    const rowH = plotH / n;
    const scale = rowH / this.uvPerDiv; // px per µV: one division = one row
    const right = x0 + plotW;
    const tail = this.drawnHeadUs - this.windowUs;
    const nCh = ring.nCh;
    const bw = Math.max(1, ring.bucketUs * pxPerUs);
    // Group drawable buckets by colour: one path per montage group.
    const colors = new Map<string, number[]>();
    for (let r = 0; r < n; r++) {
      const col = groupColor(groupOf(ring.channels[vis[r]]));
      let arr = colors.get(col);
      if (!arr) colors.set(col, (arr = []));
      arr.push(r);
    }
    const drawable: number[] = [];
    for (const k of ks) {
      const slot = ring.slotOf(k);
      if (slot < 0) continue;
      const t = ring.times[slot];
      if (t + ring.bucketUs <= tail) continue;
      if (t + ring.bucketUs / 2 > this.drawnHeadUs) {
        this.waiting.push(k);
        continue;
      }
      drawable.push(slot);
    }
    if (!drawable.length) return;
    ctx.save();
    ctx.beginPath();
    ctx.rect(x0, 0, plotW, plotH);
    ctx.clip();
    ctx.lineWidth = Math.max(1, this.dpr);
    for (const [color, rows] of colors) {
      ctx.strokeStyle = color;
      ctx.beginPath();
      for (const slot of drawable) {
        const t = ring.times[slot];
        const x = Math.floor(right - (this.drawnHeadUs - t) * pxPerUs) + 0.5;
        // The previous bucket (when it is the slot before and adjacent in time) joins the segments.
        const prev = slot === 0 ? ring.capacity - 1 : slot - 1;
        const joined = Math.abs(ring.times[prev] + ring.bucketUs - t) < ring.bucketUs / 4;
        const base = slot * nCh;
        const pbase = prev * nCh;
        for (const r of rows) {
          const c = vis[r];
          const yc = (r + 0.5) * rowH;
          let lo = ring.mins[base + c];
          let hi = ring.maxs[base + c];
          if (joined) {
            const plo = ring.mins[pbase + c];
            const phi = ring.maxs[pbase + c];
            if (plo > hi) hi = plo;
            if (phi < lo) lo = phi;
          }
          const y1 = yc - hi * scale;
          let y2 = yc - lo * scale;
          if (y2 - y1 < 1) y2 = y1 + 1;
          ctx.moveTo(x, y1);
          ctx.lineTo(x, y2);
          if (bw > 2) {
            ctx.moveTo(x, (y1 + y2) / 2);
            ctx.lineTo(x + bw, (y1 + y2) / 2);
          }
        }
      }
      ctx.stroke();
    }
    ctx.restore();
    this.drawnBuckets += drawable.length;
  }

  private drawOverlay(head: number, pxPerUs: number, x0: number, plotW: number, plotH: number): void {
    const ctx = this.octx;
    const W = this.overlay.width;
    const H = this.overlay.height;
    const dpr = this.dpr;
    ctx.clearRect(0, 0, W, H);
    const right = x0 + plotW;
    const tail = head - this.windowUs;
    // Gutter and axis backgrounds.
    ctx.fillStyle = '#0f172a';
    ctx.fillRect(0, 0, x0, H);
    ctx.fillRect(x0, plotH, plotW, H - plotH);
    // Second grid and time ticks.
    ctx.font = `${11 * dpr}px ui-monospace, SFMono-Regular, Menlo, monospace`;
    ctx.textBaseline = 'middle';
    ctx.strokeStyle = 'rgba(148,163,184,0.12)';
    ctx.lineWidth = 1;
    ctx.beginPath();
    const firstS = Math.ceil(tail / 1e6);
    for (let s = firstS; s * 1e6 <= head; s++) {
      const x = Math.round(right - (head - s * 1e6) * pxPerUs) + 0.5;
      ctx.moveTo(x, 0);
      ctx.lineTo(x, plotH);
    }
    ctx.stroke();
    ctx.fillStyle = '#64748b';
    ctx.textAlign = 'center';
    for (let s = firstS; s * 1e6 <= head; s++) {
      if (s % 2) continue;
      const x = right - (head - s * 1e6) * pxPerUs;
      const d = new Date(s * 1000);
      const label = `${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}`;
      if (x > x0 + 20 * dpr && x < right - 20 * dpr) ctx.fillText(label, x, plotH + (H - plotH) / 2);
    }
    // Channel labels.
    const ring = this.ring;
    if (ring) {
      const vis = this.visible.filter((c) => c < ring.nCh);
      const rowH = plotH / Math.max(1, vis.length);
      const fontPx = Math.max(8, Math.min(12, rowH / dpr - 1));
      ctx.font = `${fontPx * dpr}px ui-monospace, SFMono-Regular, Menlo, monospace`;
      ctx.textAlign = 'right';
      const step = rowH < 9 * dpr ? Math.ceil((9 * dpr) / rowH) : 1;
      for (let r = 0; r < vis.length; r += step) {
        const name = ring.channels[vis[r]];
        ctx.fillStyle = groupColor(groupOf(name));
        ctx.fillText(normaliseLabel(name), x0 - 6 * dpr, (r + 0.5) * rowH);
      }
    }
    // Markers: labelled vertical lines.
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    ctx.font = `600 ${11 * dpr}px system-ui, sans-serif`;
    for (const m of this.markers) {
      if (m.timeUs < tail || m.timeUs > head) continue;
      const x = Math.round(right - (head - m.timeUs) * pxPerUs) + 0.5;
      const color = MARKER_COLORS[m.code] ?? '#e2e8f0';
      ctx.strokeStyle = color;
      ctx.lineWidth = 2 * dpr;
      ctx.setLineDash([6 * dpr, 4 * dpr]);
      ctx.beginPath();
      ctx.moveTo(x, 0);
      ctx.lineTo(x, plotH);
      ctx.stroke();
      ctx.setLineDash([]);
      const text = m.code.startsWith('cue_') ? m.code.slice(4) : m.label || m.code;
      const tw = ctx.measureText(text).width + 8 * dpr;
      ctx.fillStyle = color;
      ctx.fillRect(x, 2 * dpr, tw, 16 * dpr);
      ctx.fillStyle = '#0b1220';
      ctx.fillText(text, x + 4 * dpr, 4 * dpr);
    }
    if (this.stale) {
      ctx.fillStyle = 'rgba(11,18,32,0.55)';
      ctx.fillRect(x0, 0, plotW, plotH);
    }
  }
}
