// Input for the esbuild-on-Tern test: TypeScript over two modules, one export unused.
import { area } from "./shapes";

const shapes: Array<{ w: number; h: number }> = [
  { w: 2, h: 3 },
  { w: 4, h: 5 },
];
console.log(shapes.map(area).reduce((sum, a) => sum + a, 0));
