/**
 * A static centred interval tree over inclusive integer intervals. Each node keeps the intervals
 * that contain its centre, sorted by start and by end; a stabbing query walks one root-to-leaf path
 * (O(log n)) and reads, at each node, only intervals that contain the point, so it costs O(log n + k).
 */
export interface Interval<T> {
  from: number;
  to: number;
  value: T;
}

interface TreeNode<T> {
  centre: number;
  byStart: Interval<T>[];
  byEnd: Interval<T>[];
  left: TreeNode<T> | null;
  right: TreeNode<T> | null;
}

function build<T>(intervals: Interval<T>[]): TreeNode<T> | null {
  if (intervals.length === 0) return null;
  // The median endpoint keeps the tree balanced: each side gets at most half of the intervals.
  const points = intervals.flatMap((i) => [i.from, i.to]).sort((a, b) => a - b);
  const centre = points[Math.floor(points.length / 2)]!;
  const left: Interval<T>[] = [];
  const right: Interval<T>[] = [];
  const here: Interval<T>[] = [];
  for (const i of intervals) {
    if (i.to < centre) left.push(i);
    else if (i.from > centre) right.push(i);
    else here.push(i);
  }
  return {
    centre,
    byStart: [...here].sort((a, b) => a.from - b.from),
    byEnd: here.sort((a, b) => b.to - a.to),
    left: build(left),
    right: build(right),
  };
}

export class IntervalTree<T> {
  private readonly root: TreeNode<T> | null;

  constructor(intervals: Interval<T>[]) {
    this.root = build(intervals);
  }

  /** Every value whose interval contains `x`. */
  stab(x: number): T[] {
    const out: T[] = [];
    let node = this.root;
    while (node) {
      if (x < node.centre) {
        for (const i of node.byStart) {
          if (i.from > x) break;
          out.push(i.value);
        }
        node = node.left;
      } else if (x > node.centre) {
        for (const i of node.byEnd) {
          if (i.to < x) break;
          out.push(i.value);
        }
        node = node.right;
      } else {
        for (const i of node.byStart) out.push(i.value);
        break;
      }
    }
    return out;
  }
}
