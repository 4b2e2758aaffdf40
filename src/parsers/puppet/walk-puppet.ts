/**
 * Generic traversal of the Puppet AST. Iterative (explicit stack), so it cannot overflow on deep trees.
 */
import type { PuppetNode } from '../../model/ast/puppet.js';

/** Called for each node with its parent; return `false` to skip the node's children. */
export type PuppetVisitor = (node: PuppetNode, parent: PuppetNode | undefined) => boolean | void;

const SKIP = new Set(['range', 'nameRange', 'typeNameRange', 'comments']);

function isNode(v: unknown): v is PuppetNode {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string' && 'range' in v;
}

/** The direct child nodes of `node`, in source-field order. */
export function puppetChildren(node: PuppetNode): PuppetNode[] {
  const out: PuppetNode[] = [];
  for (const key of Object.keys(node)) {
    if (SKIP.has(key)) continue;
    const v = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(v)) {
      for (const item of v) if (isNode(item)) out.push(item);
    } else if (isNode(v)) {
      out.push(v);
    }
  }
  return out;
}

/** Visits `root` and its descendants depth-first, in source order (comments are not visited). */
export function walkPuppet(root: PuppetNode, visit: PuppetVisitor): void {
  const stack: Array<[PuppetNode, PuppetNode | undefined]> = [[root, undefined]];
  while (stack.length > 0) {
    const [node, parent] = stack.pop() as [PuppetNode, PuppetNode | undefined];
    if (visit(node, parent) === false) continue;
    const children = puppetChildren(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i] as PuppetNode, node]);
  }
}
