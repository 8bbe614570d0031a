export interface Rect {
  w: number;
  h: number;
}

export function area(r: Rect): number {
  return r.w * r.h;
}

export function unusedShape(): string {
  return "tree-shaken away";
}
