// A Pothos plugin that lets every field name its action of the catalogue (`authz: 'readClients'`)
// and every object type a default for its fields. It only records the declaration in the field's
// and type's `extensions`; graphql/permissions.ts walks the built schema into the shield rule tree.
import SchemaBuilder, {
  BasePlugin,
  type FieldNullability,
  type InputFieldMap,
  type PothosOutputFieldConfig,
  type PothosTypeConfig,
  type SchemaTypes,
  type TypeParam,
} from '@pothos/core';
import type { ActionName } from './actions.js';

/** A type with no check of its own: every field that returns it is checked (payloads, results, paging). */
export const reached = 'reached';
export type TypeAuthz = ActionName | typeof reached;

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      authz: AuthzPlugin<Types>;
    }
    export interface ObjectTypeOptions<Types extends SchemaTypes = SchemaTypes, Shape = unknown> {
      /** The action every field of this type is checked against, unless the field names its own. */
      authz?: TypeAuthz;
    }
    export interface FieldOptions<
      Types extends SchemaTypes = SchemaTypes,
      ParentShape = unknown,
      Type extends TypeParam<Types> = TypeParam<Types>,
      Nullable extends FieldNullability<Type> = FieldNullability<Type>,
      Args extends InputFieldMap = InputFieldMap,
      ResolveShape = unknown,
      ResolveReturnShape = unknown,
    > {
      /** The action of the catalogue (auth/actions.ts) a caller must be allowed to reach this field. */
      authz?: ActionName;
    }
  }
}

const withAuthz = <T extends { extensions?: unknown }>(config: T, authz: unknown): T =>
  authz === undefined ? config : { ...config, extensions: { ...(config.extensions as object), authz } };

export class AuthzPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onTypeConfig(typeConfig: PothosTypeConfig): PothosTypeConfig {
    return withAuthz(typeConfig, (typeConfig.pothosOptions as { authz?: TypeAuthz }).authz);
  }

  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>): PothosOutputFieldConfig<Types> {
    return withAuthz(fieldConfig, (fieldConfig.pothosOptions as { authz?: ActionName }).authz);
  }
}

SchemaBuilder.registerPlugin('authz', AuthzPlugin);
