/**
 * Python tree from tree-sitter-python. Typed loosely here so that the model does not import tree-sitter:
 * `root` is the tree-sitter root node (`SyntaxNode`), which src/parsers/python.ts loads lazily.
 */
export interface PythonNode {
  type: string;
  text: string;
  startPosition: { row: number; column: number };
  endPosition: { row: number; column: number };
  startIndex: number;
  endIndex: number;
  children: PythonNode[];
  namedChildren: PythonNode[];
  parent: PythonNode | null;
  childForFieldName(name: string): PythonNode | null;
  hasError: boolean;
}

export interface PythonModule {
  root: PythonNode;
}
