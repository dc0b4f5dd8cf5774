// Walks zod's definition objects (`_zod.def`), which are its documented extension surface.
interface Def {
  type: string;
  innerType?: Holder;
  in?: Holder;
  options?: Holder[];
  shape?: Record<string, Holder>;
  element?: Holder;
  valueType?: Holder;
}
interface Holder {
  _zod: { def: Def };
}

function unwrap(schema: Holder | undefined): Def | undefined {
  let def = schema?._zod.def;
  while (def) {
    if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable')
      def = def.innerType?._zod.def;
    else if (def.type === 'pipe') def = def.in?._zod.def;
    else if (def.type === 'union')
      def = def.options?.map((o) => unwrap(o)).find((d) => d?.type === 'object');
    else return def;
  }
  return undefined;
}

/** The keys the object schema at `path` accepts (empty when it is not an object). */
export function keysAt(schema: unknown, path: readonly PropertyKey[]): string[] {
  let def = unwrap(schema as Holder);
  for (const segment of path) {
    if (def?.type === 'object') def = unwrap(def.shape?.[String(segment)]);
    else if (def?.type === 'array') def = unwrap(def.element);
    else if (def?.type === 'record') def = unwrap(def.valueType);
    else return [];
  }
  return def?.type === 'object' ? Object.keys(def.shape ?? {}) : [];
}
