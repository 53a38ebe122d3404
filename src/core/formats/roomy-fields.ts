import type { ParsedFields } from '../model/event';

/**
 * A maker of empty, plain event-field objects with room for about 24 fields inside the object.
 * V8 sizes the objects of a constructor by the `this.x =` assignments in its body (in-object slack
 * tracking), run or not; a `{}` literal has room for 4 and moves its fields to a separate store
 * that it reallocates as they are added. Parsers that add 10-30 fields to each event gain from it
 * (regiond requests 1.10x; netfilter's events too). One maker per parser: each constructor's room is
 * fitted to what its first objects held, so parsers must not share one.
 */
export function roomyFieldsMaker(): () => ParsedFields {
  const Roomy = function (this: Record<string, unknown>, fill: boolean): void {
    if (!fill) return;
    this.a = 0; this.b = 0; this.c = 0; this.d = 0; this.e = 0; this.f = 0; this.g = 0; this.h = 0;
    this.i = 0; this.j = 0; this.k = 0; this.l = 0; this.m = 0; this.n = 0; this.o = 0; this.p = 0;
    this.q = 0; this.r = 0; this.s = 0; this.t = 0; this.u = 0; this.v = 0; this.w = 0; this.x = 0;
  } as unknown as new (fill: boolean) => ParsedFields;
  Roomy.prototype = Object.prototype;
  return () => new Roomy(false);
}

/** roomyFieldsMaker with room for about 32 fields (a firewall event: 24-25 of its own, 4-5 of the envelope). */
export function roomyFieldsMaker32(): () => ParsedFields {
  const Roomy = function (this: Record<string, unknown>, fill: boolean): void {
    if (!fill) return;
    this.a = 0; this.b = 0; this.c = 0; this.d = 0; this.e = 0; this.f = 0; this.g = 0; this.h = 0;
    this.i = 0; this.j = 0; this.k = 0; this.l = 0; this.m = 0; this.n = 0; this.o = 0; this.p = 0;
    this.q = 0; this.r = 0; this.s = 0; this.t = 0; this.u = 0; this.v = 0; this.w = 0; this.x = 0;
    this.y = 0; this.z = 0; this.A = 0; this.B = 0; this.C = 0; this.D = 0; this.E = 0; this.F = 0;
  } as unknown as new (fill: boolean) => ParsedFields;
  Roomy.prototype = Object.prototype;
  return () => new Roomy(false);
}
