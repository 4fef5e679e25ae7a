import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from "@pothos/core";

// plugin-prisma adds a connection's `totalCount` field (totalCount: true, or a totalCount function)
// without a way to describe it. This plugin describes every such field, so GraphiQL's docs pane (and
// test/schema-descriptions.test.ts) see one.

export const TOTAL_COUNT_DESCRIPTION = "How many items the connection holds with its arguments' filters, across all pages.";

class TotalCountDescriptionPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>): PothosOutputFieldConfig<Types> {
    if (fieldConfig.name !== "totalCount" || fieldConfig.description || !fieldConfig.extensions?.pothosPrismaTotalCount) return fieldConfig;
    return { ...fieldConfig, description: TOTAL_COUNT_DESCRIPTION };
  }
}

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      totalCountDescription: TotalCountDescriptionPlugin<Types>;
    }
  }
}

export const TotalCountDescription = "totalCountDescription";
SchemaBuilder.registerPlugin(TotalCountDescription, TotalCountDescriptionPlugin);
