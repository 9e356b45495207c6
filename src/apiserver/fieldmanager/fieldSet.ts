/**
 * A set of field paths, stored as structured-merge-diff's tree: at each level the elements that
 * are members of the set themselves, and the children under which longer paths continue. A path
 * can be both a member and a prefix (a list item owned as a whole and field by field).
 * Results of set operations may share subtrees with their operands: build with `insert`, then
 * treat a set as immutable.
 */
import {
  comparePathElements,
  type Path,
  type PathElement,
  pathString,
  serializePathElement,
} from './pathElement.js';

interface Child {
  readonly pe: PathElement;
  readonly set: FieldSet;
}

const byElement = (a: { pe: PathElement }, b: { pe: PathElement }) => comparePathElements(a.pe, b.pe);

export class FieldSet {
  /** Keyed by the serialized element, which identifies it. */
  private readonly members = new Map<string, PathElement>();
  private readonly children = new Map<string, Child>();
  /** Sorted views, dropped by insert (the only change a set sees after it is built). */
  private sortedMembers: PathElement[] | undefined;
  private sortedChildren: Child[] | undefined;

  static of(...paths: Path[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  /** Adds a path (a no-op for the empty path, as upstream). */
  insert(path: Path): void {
    if (path.length === 0) return;
    let s: FieldSet = this;
    for (let i = 0; i < path.length - 1; i++) s = s.descend(path[i]!);
    const last = path[path.length - 1]!;
    const id = serializePathElement(last);
    if (s.members.has(id)) return;
    s.members.set(id, last);
    s.sortedMembers = undefined;
  }

  private descend(pe: PathElement): FieldSet {
    const id = serializePathElement(pe);
    let child = this.children.get(id);
    if (!child) {
      child = { pe, set: new FieldSet() };
      this.children.set(id, child);
      this.sortedChildren = undefined;
    }
    return child.set;
  }

  has(path: Path): boolean {
    if (path.length === 0) return false;
    let s: FieldSet | undefined = this;
    for (let i = 0; i < path.length - 1 && s; i++) s = s.children.get(serializePathElement(path[i]!))?.set;
    return s?.members.has(serializePathElement(path[path.length - 1]!)) ?? false;
  }

  hasMember(pe: PathElement): boolean {
    return this.members.has(serializePathElement(pe));
  }

  /** The paths under one element, or an empty set. */
  withPrefix(pe: PathElement): FieldSet {
    return this.children.get(serializePathElement(pe))?.set ?? new FieldSet();
  }

  isEmpty(): boolean {
    if (this.members.size > 0) return false;
    for (const c of this.children.values()) if (!c.set.isEmpty()) return false;
    return true;
  }

  /** The number of paths in the set. */
  size(): number {
    let n = this.members.size;
    for (const c of this.children.values()) n += c.set.size();
    return n;
  }

  /** Member elements in upstream's order. */
  memberElements(): PathElement[] {
    this.sortedMembers ??= [...this.members.values()].sort(comparePathElements);
    return [...this.sortedMembers];
  }

  /** Children in upstream's order. */
  childEntries(): Child[] {
    this.sortedChildren ??= [...this.children.values()].sort(byElement);
    return [...this.sortedChildren];
  }

  /** Builds a set from its parts; empty children are dropped. */
  static from(members: Iterable<PathElement>, children: Iterable<Child>): FieldSet {
    const s = new FieldSet();
    for (const pe of members) s.members.set(serializePathElement(pe), pe);
    for (const c of children) if (!c.set.isEmpty()) s.children.set(serializePathElement(c.pe), c);
    return s;
  }

  union(o: FieldSet): FieldSet {
    // Keeping the operand itself keeps what was computed from it (its FieldsV1) too.
    if (o.isEmpty()) return this;
    if (this.isEmpty()) return o;
    const children = new Map<string, Child>();
    for (const [id, c] of this.children) children.set(id, c);
    for (const [id, c] of o.children) {
      const mine = children.get(id);
      children.set(id, mine ? { pe: mine.pe, set: mine.set.union(c.set) } : c);
    }
    return FieldSet.from([...this.members.values(), ...o.members.values()], children.values());
  }

  intersection(o: FieldSet): FieldSet {
    const members = [...this.members].filter(([id]) => o.members.has(id)).map(([, pe]) => pe);
    const children: Child[] = [];
    for (const [id, c] of this.children) {
      const theirs = o.children.get(id);
      if (theirs) children.push({ pe: c.pe, set: c.set.intersection(theirs.set) });
    }
    return FieldSet.from(members, children);
  }

  /** This set without o's paths. A member of o does not remove the paths below it. */
  difference(o: FieldSet): FieldSet {
    if (!this.overlaps(o)) return this;
    const members = [...this.members].filter(([id]) => !o.members.has(id)).map(([, pe]) => pe);
    const children: Child[] = [];
    for (const [id, c] of this.children) {
      const theirs = o.children.get(id);
      children.push(theirs ? { pe: c.pe, set: c.set.difference(theirs.set) } : c);
    }
    return FieldSet.from(members, children);
  }

  /** This set without o's paths and without everything below a member of o (reset fields). */
  recursiveDifference(o: FieldSet): FieldSet {
    if (!this.overlaps(o)) return this;
    const members = [...this.members].filter(([id]) => !o.members.has(id)).map(([, pe]) => pe);
    const children: Child[] = [];
    for (const [id, c] of this.children) {
      if (o.members.has(id)) continue;
      const theirs = o.children.get(id);
      children.push(theirs ? { pe: c.pe, set: c.set.recursiveDifference(theirs.set) } : c);
    }
    return FieldSet.from(members, children);
  }

  /** Whether o names an element this set has at its top level (else difference changes nothing). */
  private overlaps(o: FieldSet): boolean {
    for (const id of o.members.keys()) if (this.members.has(id) || this.children.has(id)) return true;
    for (const id of o.children.keys()) if (this.children.has(id)) return true;
    return false;
  }

  /** Only the paths that have nothing below them in the set. */
  leaves(): FieldSet {
    const members = [...this.members].filter(([id]) => !this.children.has(id)).map(([, pe]) => pe);
    const children = [...this.children.values()].map((c) => ({ pe: c.pe, set: c.set.leaves() }));
    return FieldSet.from(members, children);
  }

  equals(o: FieldSet): boolean {
    if (this.members.size !== o.members.size || this.children.size !== o.children.size) return false;
    for (const id of this.members.keys()) if (!o.members.has(id)) return false;
    for (const [id, c] of this.children) {
      const theirs = o.children.get(id);
      if (!theirs || !c.set.equals(theirs.set)) return false;
    }
    return true;
  }

  /** Every path, in upstream's iteration order: a level's members, then each child in turn. */
  paths(prefix: Path = []): Path[] {
    const out: Path[] = this.memberElements().map((pe) => [...prefix, pe]);
    for (const c of this.childEntries()) out.push(...c.set.paths([...prefix, c.pe]));
    return out;
  }

  toString(): string {
    return this.paths().map(pathString).join('\n');
  }
}
