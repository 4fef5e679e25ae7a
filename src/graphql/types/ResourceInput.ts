import { builder } from "../builder.ts";

const fields = {
  name: "Unique name, 1..100 characters",
  capacity: "Units it holds, 0 to 1000000000; allocations never exceed it",
  costPerUnitSecond: "Price of one unit held for one second, 0 to 1000000",
  attributes: "Flat object of scalars that requirement constraints match, e.g. { memory: 16384, gpu: true }; at most 16384 bytes of JSON",
};

export const CreateResourceInput = builder.inputType("CreateResourceInput", {
  description: "A resource pool to create.",
  fields: (t) => ({
    name: t.string({ required: true, description: `${fields.name}.` }),
    type: t.string({ required: true, description: "Free string that requirements name: computational, memory, gpu, api:openai… (1 to 100 letters, digits, _ . : - /)." }),
    capacity: t.float({ required: true, description: `${fields.capacity}.` }),
    costPerUnitSecond: t.float({ description: `${fields.costPerUnitSecond} (default 0).` }),
    attributes: t.field({ type: "JSON", description: `${fields.attributes}.` }),
  }),
});

export const UpdateResourceInput = builder.inputType("UpdateResourceInput", {
  description: "Fields of a pool to change (the type cannot change); omitted fields stay, and capacity may not drop below what is allocated now.",
  fields: (t) => ({
    name: t.string({ description: `${fields.name}.` }),
    capacity: t.float({ description: `${fields.capacity}.` }),
    costPerUnitSecond: t.float({ description: `${fields.costPerUnitSecond}; applies to allocations made from now on.` }),
    attributes: t.field({ type: "JSON", description: `${fields.attributes}; replaces the old ones.` }),
  }),
});
