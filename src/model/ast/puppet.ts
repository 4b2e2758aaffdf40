/**
 * Puppet AST (Puppet 4+ language), produced by `parsePuppet()` in src/parsers/puppet/parse-puppet.ts.
 *
 * Every node is an object with a `type` discriminant and a `range` (1-based line/column, 0-based offset,
 * end exclusive). Node names follow Puppet's own model (Puppet::Pops::Model) where one exists, so that the
 * output of `puppet parser dump` maps onto this tree with little translation.
 *
 * Helpers to consume it live next to the parser: `walkPuppet()` (visit every node) and `literalValue()`
 * (a node's JS value when it is a plain literal) in src/parsers/puppet/.
 */
import type { Range } from '../location.js';

/** The whole file. `body` holds the top-level statements in source order. */
export interface PuppetProgram {
  type: 'Program';
  body: Expression[];
  /** Every comment of the file, in source order (`# ...` and `/* ... *\/`). */
  comments: Comment[];
  range: Range;
}

/** A comment. `text` excludes the `#` or the `/*`, `*\/` delimiters, and keeps the rest verbatim. */
export interface Comment {
  type: 'Comment';
  style: 'line' | 'block';
  text: string;
  range: Range;
}

// ---------------------------------------------------------------------------------------------------------
// Definitions

/** A parameter of a class, define, function or lambda: `Optional[String] $x = 'a'`, `*$rest`. */
export interface Parameter {
  type: 'Parameter';
  /** Variable name without `$`. */
  name: string;
  nameRange: Range;
  /** The type expression in front of the name (`Optional[Variant[String[1], Integer]]`), if any. */
  typeExpr?: Expression;
  /** The default value expression, if any. */
  default?: Expression;
  /** True for a captures-rest parameter `*$rest` (functions and lambdas). */
  capturesRest: boolean;
  range: Range;
}

/** `class name (params) inherits parent { body }`. `name` is as written, without a leading `::`. */
export interface HostClassDefinition {
  type: 'HostClassDefinition';
  name: string;
  nameRange: Range;
  parameters: Parameter[];
  /** Parent class name for `inherits`, without a leading `::`. */
  parent?: string;
  body: Expression[];
  range: Range;
}

/** `define name (params) { body }`: a defined resource type. */
export interface ResourceTypeDefinition {
  type: 'ResourceTypeDefinition';
  name: string;
  nameRange: Range;
  parameters: Parameter[];
  body: Expression[];
  range: Range;
}

/** `node 'a', /b/, default { body }`. */
export interface NodeDefinition {
  type: 'NodeDefinition';
  /** Host matchers: LiteralString, ConcatenatedString, LiteralRegex, LiteralDefault or QualifiedName. */
  matches: Expression[];
  parent?: Expression;
  body: Expression[];
  range: Range;
}

/** `function name(params) >> ReturnType { body }`. */
export interface FunctionDefinition {
  type: 'FunctionDefinition';
  name: string;
  nameRange: Range;
  parameters: Parameter[];
  returnType?: Expression;
  body: Expression[];
  range: Range;
}

/** `type Name = TypeExpression`. */
export interface TypeAlias {
  type: 'TypeAlias';
  name: string;
  nameRange: Range;
  typeExpr: Expression;
  range: Range;
}

// ---------------------------------------------------------------------------------------------------------
// Resources

/** `name => value` or `name +> value` inside a resource body, default, override or collector. */
export interface AttributeOperation {
  type: 'AttributeOperation';
  /** Attribute name as written (keywords such as `unless`, `require` are allowed). */
  name: string;
  nameRange: Range;
  operator: '=>' | '+>';
  value: Expression;
  range: Range;
}

/** `* => $hash`: attributes taken from a hash at catalog time. */
export interface AttributesOperation {
  type: 'AttributesOperation';
  value: Expression;
  range: Range;
}

export type AttributeEntry = AttributeOperation | AttributesOperation;

/** One `title: attributes` body of a resource declaration. */
export interface ResourceBody {
  type: 'ResourceBody';
  /** The title expression: a string, an array of titles, a variable, `default`, ... */
  title: Expression;
  attributes: AttributeEntry[];
  range: Range;
}

/**
 * A resource declaration: `file { 'a': mode => '0644'; 'b': }`, `nova_config { 'DEFAULT/x': value => 1 }`,
 * `oslo::messaging::rabbit { 'nova_config': ... }`, and resource-like class declarations
 * `class { 'nova::wsgi::apache_api': threads => 4 }` (typeName `'class'`).
 */
export interface ResourceExpression {
  type: 'ResourceExpression';
  /** Resource type as written, lowercased segments kept, leading `::` removed: `file`, `class`, `nova::api`. */
  typeName: string;
  typeNameRange: Range;
  /** `@file {}` is virtual, `@@file {}` exported. */
  form: 'regular' | 'virtual' | 'exported';
  bodies: ResourceBody[];
  range: Range;
}

/** `File { mode => '0644' }`: defaults for a resource type in the enclosing scope. */
export interface ResourceDefaults {
  type: 'ResourceDefaults';
  /** The capitalised type reference (`File`, `Nova_config`). */
  typeRef: Expression;
  attributes: AttributeEntry[];
  range: Range;
}

/** `File['x'] { mode => '0644' }`: amends attributes of already declared resources. */
export interface ResourceOverride {
  type: 'ResourceOverride';
  /** The resource reference (usually an AccessExpression on a QualifiedReference). */
  resource: Expression;
  attributes: AttributeEntry[];
  range: Range;
}

/** `Package<| tag == 'x' |>` (virtual) or `Package<<| |>>` (exported), with an optional `{ overrides }`. */
export interface Collector {
  type: 'Collector';
  typeRef: QualifiedReference;
  exported: boolean;
  /** The query between the pipes, or undefined for `<| |>`. */
  query?: Expression;
  /** Attribute overrides from `Package<| |> { ensure => latest }`; empty when there is no block. */
  overrides: AttributeEntry[];
  range: Range;
}

// ---------------------------------------------------------------------------------------------------------
// Calls and control flow

/** `|$k, $v| { body }` (optionally `>> ReturnType`). */
export interface Lambda {
  type: 'Lambda';
  parameters: Parameter[];
  returnType?: Expression;
  body: Expression[];
  range: Range;
}

/**
 * A call of a named function: `lookup('x')`, `include foo, bar` (style `'statement'`), `each($x) |$v| {}`.
 * `name` is as written without a leading `::` (`include`, `stdlib::ensure`).
 */
export interface CallNamedFunction {
  type: 'CallNamedFunction';
  name: string;
  nameRange: Range;
  arguments: Expression[];
  lambda?: Lambda;
  /** `'call'` for `f(...)`, `'statement'` for parenthesis-less statement calls (`include x`, `fail "m"`). */
  style: 'call' | 'statement';
  range: Range;
}

/** A method-style call `receiver.name(args) |params| { }`, e.g. `$x.map |$v| { }`, `$a.join(',')`. */
export interface CallMethod {
  type: 'CallMethod';
  receiver: Expression;
  name: string;
  nameRange: Range;
  arguments: Expression[];
  lambda?: Lambda;
  range: Range;
}

/** `if test { then } elsif ... else { }`. An `elsif` is an IfStatement in `else`. */
export interface IfStatement {
  type: 'IfStatement';
  test: Expression;
  then: Expression[];
  else?: Expression[] | IfStatement;
  range: Range;
}

/** `unless test { then } else { }`. */
export interface UnlessStatement {
  type: 'UnlessStatement';
  test: Expression;
  then: Expression[];
  else?: Expression[];
  range: Range;
}

/** One `'a', 'b': { body }` option of a case statement. */
export interface CaseOption {
  type: 'CaseOption';
  values: Expression[];
  body: Expression[];
  range: Range;
}

/** `case test { options }`. */
export interface CaseStatement {
  type: 'CaseStatement';
  test: Expression;
  options: CaseOption[];
  range: Range;
}

/** One `match => value` entry of a selector. */
export interface SelectorEntry {
  type: 'SelectorEntry';
  matching: Expression;
  value: Expression;
  range: Range;
}

/** `left ? { 'a' => 1, default => 2 }`. */
export interface Selector {
  type: 'Selector';
  left: Expression;
  entries: SelectorEntry[];
  range: Range;
}

/** `$x = value`, `$x += value`, `[$a, $b] = value`. */
export interface AssignmentExpression {
  type: 'AssignmentExpression';
  operator: '=' | '+=' | '-=';
  /** A VariableExpression, or a LiteralList of them for destructuring. */
  left: Expression;
  right: Expression;
  range: Range;
}

// ---------------------------------------------------------------------------------------------------------
// Operators

export type BinaryOperator =
  | '+' | '-' | '*' | '/' | '%' | '<<' | '>>'
  | '==' | '!=' | '<' | '<=' | '>' | '>='
  | '=~' | '!~' | 'in' | 'and' | 'or';

/** Arithmetic, comparison, match, `in` and logical operators. */
export interface BinaryExpression {
  type: 'BinaryExpression';
  operator: BinaryOperator;
  left: Expression;
  right: Expression;
  range: Range;
}

/** `-x`, `!x`, and `*x` (unfold / splat of an array into arguments). */
export interface UnaryExpression {
  type: 'UnaryExpression';
  operator: '-' | '!' | '*';
  operand: Expression;
  range: Range;
}

/** Relationship chaining: `A -> B`, `A ~> B`, `A <- B`, `A <~ B`. */
export interface Chain {
  type: 'Chain';
  operator: '->' | '~>' | '<-' | '<~';
  left: Expression;
  right: Expression;
  range: Range;
}

/** `target[key, ...]`: hash/array access, and type parameters (`Hash[String, Any]`, `File['x']`). */
export interface AccessExpression {
  type: 'AccessExpression';
  target: Expression;
  keys: Expression[];
  range: Range;
}

/** `( expression )`, kept so ranges and precedence stay visible. */
export interface ParenthesizedExpression {
  type: 'ParenthesizedExpression';
  expression: Expression;
  range: Range;
}

/** `{ statements }` as an expression (rare; e.g. a bare block at statement level). */
export interface Block {
  type: 'Block';
  body: Expression[];
  range: Range;
}

// ---------------------------------------------------------------------------------------------------------
// Names, variables and literals

/** `$name`. `name` excludes `$`: `'x'`, `'::os_workers'`, `'facts'`, `'nova::params::x'`, `'1'`. */
export interface VariableExpression {
  type: 'VariableExpression';
  name: string;
  range: Range;
}

/** A bare lowercase word: `present`, `foo::bar`, `::foo` (value as written, including any leading `::`). */
export interface QualifiedName {
  type: 'QualifiedName';
  value: string;
  range: Range;
}

/** A capitalised type reference: `File`, `Stdlib::Port`, `Optional` (value as written). */
export interface QualifiedReference {
  type: 'QualifiedReference';
  value: string;
  range: Range;
}

/** A string without interpolation. `value` has escapes processed. */
export interface LiteralString {
  type: 'LiteralString';
  value: string;
  quote: 'single' | 'double';
  range: Range;
}

/** `${expr}` or `$var` inside a double-quoted string or heredoc. */
export interface TextExpression {
  type: 'TextExpression';
  expression: Expression;
  range: Range;
}

/** A piece of literal text inside an interpolated string (escapes processed). */
export interface StringSegment {
  type: 'StringSegment';
  value: string;
  range: Range;
}

/** A double-quoted string (or heredoc body) with interpolation: `"${x}/y"`. */
export interface ConcatenatedString {
  type: 'ConcatenatedString';
  segments: Array<StringSegment | TextExpression>;
  range: Range;
}

/** `@("END":syntax/flags)` ... `END`. `text` is the processed body (margin stripped, escapes applied). */
export interface Heredoc {
  type: 'Heredoc';
  tag: string;
  /** The `:syntax` part (e.g. `json`), if any. */
  syntax?: string;
  /** True when the tag was double-quoted (interpolation enabled). */
  interpolated: boolean;
  text: LiteralString | ConcatenatedString;
  range: Range;
}

/** Integer or float. `raw` is the source text (`0755`, `0x1F`, `1.5e3`). */
export interface LiteralNumber {
  type: 'LiteralNumber';
  value: number;
  raw: string;
  radix: 8 | 10 | 16;
  isFloat: boolean;
  range: Range;
}

export interface LiteralBoolean {
  type: 'LiteralBoolean';
  value: boolean;
  range: Range;
}

export interface LiteralUndef {
  type: 'LiteralUndef';
  range: Range;
}

/** The `default` keyword (selector/case default, resource default title, `node default`). */
export interface LiteralDefault {
  type: 'LiteralDefault';
  range: Range;
}

/** `/pattern/`. `pattern` excludes the slashes, with `\/` unescaped to `/`. */
export interface LiteralRegex {
  type: 'LiteralRegex';
  pattern: string;
  range: Range;
}

/** `[a, b, c]`. */
export interface LiteralList {
  type: 'LiteralList';
  elements: Expression[];
  range: Range;
}

export interface HashEntry {
  type: 'HashEntry';
  key: Expression;
  value: Expression;
  range: Range;
}

/** `{ key => value, ... }`. */
export interface LiteralHash {
  type: 'LiteralHash';
  entries: HashEntry[];
  range: Range;
}

/** Every expression / statement node. */
export type Expression =
  | HostClassDefinition
  | ResourceTypeDefinition
  | NodeDefinition
  | FunctionDefinition
  | TypeAlias
  | ResourceExpression
  | ResourceDefaults
  | ResourceOverride
  | Collector
  | CallNamedFunction
  | CallMethod
  | IfStatement
  | UnlessStatement
  | CaseStatement
  | Selector
  | Lambda
  | AssignmentExpression
  | BinaryExpression
  | UnaryExpression
  | Chain
  | AccessExpression
  | ParenthesizedExpression
  | Block
  | VariableExpression
  | QualifiedName
  | QualifiedReference
  | LiteralString
  | ConcatenatedString
  | Heredoc
  | LiteralNumber
  | LiteralBoolean
  | LiteralUndef
  | LiteralDefault
  | LiteralRegex
  | LiteralList
  | LiteralHash;

/** Every node type, including the parts that are not expressions on their own. */
export type PuppetNode =
  | PuppetProgram
  | Expression
  | Comment
  | Parameter
  | AttributeOperation
  | AttributesOperation
  | ResourceBody
  | CaseOption
  | SelectorEntry
  | HashEntry
  | TextExpression
  | StringSegment;
