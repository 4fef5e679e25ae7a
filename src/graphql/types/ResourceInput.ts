import { builder } from "../builder.ts";

const fields = {
  name: "Unique name, 1..100 characters",
  capacity: "Units it holds (≥ 0); allocations never exceed it",
  costPerUnitSecond: "Price of one unit held for one second (default 0)",
  attributes: "Flat object of scalars that requirement constraints match, e.g. { memory: 16384, gpu: true }",
};

export const CreateResourceInput = builder.inputType("CreateResourceInput", {
  fields: (t) => ({
    name: t.string({ required: true, description: fields.name }),
    type: t.string({ required: true, description: "Free string: computational, memory, gpu, api:openai… (letters, digits, _ . : - /)" }),
    capacity: t.float({ required: true, description: fields.capacity }),
    costPerUnitSecond: t.float({ description: fields.costPerUnitSecond }),
    attributes: t.field({ type: "JSON", description: fields.attributes }),
  }),
});

export const UpdateResourceInput = builder.inputType("UpdateResourceInput", {
  description: "Fields to change (the type cannot change); capacity may not drop below what is allocated now",
  fields: (t) => ({
    name: t.string({ description: fields.name }),
    capacity: t.float({ description: fields.capacity }),
    costPerUnitSecond: t.float({ description: `${fields.costPerUnitSecond}; applies to allocations made from now on` }),
    attributes: t.field({ type: "JSON", description: `${fields.attributes}; replaces the old ones` }),
  }),
});
