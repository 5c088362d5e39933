import { trimManagedFields } from './informer.js';

const object = () => ({
  metadata: {
    name: 'a',
    managedFields: [
      { manager: 'openvox-operator', operation: 'Apply', fieldsV1: { 'f:spec': {} } },
      { manager: 'kube-controller-manager', operation: 'Update', fieldsV1: { 'f:status': {} } },
    ],
  },
});

describe('trimManagedFields', () => {
  it("keeps only the given manager's entries", () => {
    const o = object();
    trimManagedFields(o, 'openvox-operator');
    expect(o.metadata.managedFields).toEqual([
      { manager: 'openvox-operator', operation: 'Apply', fieldsV1: { 'f:spec': {} } },
    ]);
  });

  it('drops all entries when no manager is kept or none is left', () => {
    const all = object();
    trimManagedFields(all);
    expect(all.metadata).toEqual({ name: 'a' });
    const none = object();
    trimManagedFields(none, 'someone-else');
    expect(none.metadata).toEqual({ name: 'a' });
  });
});
