import type { ObjectKind } from '../../../shared/api';

/** The object the Resources view shows in detail. */
export interface Selection {
  kind: ObjectKind;
  name: string;
}
