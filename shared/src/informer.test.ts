import { pickFieldPaths, trimManagedFields } from './informer.js';

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

describe('pickFieldPaths', () => {
  it('keeps only the nodes on the given paths, a leaf as {}', () => {
    const tree = {
      'f:metadata': { 'f:labels': { 'f:a': {} } },
      'f:spec': { 'f:replicas': {}, 'f:template': { 'f:spec': { 'f:containers': {} } } },
    };
    expect(pickFieldPaths(tree, [['spec', 'replicas']])).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect(pickFieldPaths({ 'f:spec': { 'f:template': {} } }, [['spec', 'replicas']])).toEqual({ 'f:spec': {} });
    expect(pickFieldPaths(tree, [['status']])).toEqual({});
  });
});
