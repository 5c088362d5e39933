import { allowed, denied, invalidMessage, patched, toReview } from './responses.js';

const target = { group: 'openvox.voxpupuli.org', kind: 'Server', name: 'web' };

describe('response constructors', () => {
  it('allowed carries warnings only when there are some', () => {
    expect(allowed('u')).toEqual({ uid: 'u', allowed: true });
    expect(allowed('u', [])).toEqual({ uid: 'u', allowed: true });
    expect(allowed('u', ['w'])).toEqual({ uid: 'u', allowed: true, warnings: ['w'] });
  });

  it('patched encodes the operations as base64 JSONPatch, and an empty patch as a plain allow', () => {
    const ops = [{ op: 'add' as const, path: '/spec/replicas', value: 1 }];
    const response = patched('u', ops);
    expect(response).toMatchObject({ uid: 'u', allowed: true, patchType: 'JSONPatch' });
    expect(JSON.parse(Buffer.from(response.patch!, 'base64').toString())).toEqual(ops);
    expect(patched('u', [])).toEqual({ uid: 'u', allowed: true });
  });

  it('denied is a 422 Invalid status with the causes and the apimachinery message', () => {
    const causes = [{ type: 'FieldValueInvalid', field: 'spec.replicas', message: 'Invalid value: -1: must be >= 0' }];
    expect(denied('u', target, causes, ['w'])).toEqual({
      uid: 'u',
      allowed: false,
      warnings: ['w'],
      status: {
        status: 'Failure',
        code: 422,
        reason: 'Invalid',
        message: 'Server.openvox.voxpupuli.org "web" is invalid: spec.replicas: Invalid value: -1: must be >= 0',
        details: { name: 'web', group: 'openvox.voxpupuli.org', kind: 'Server', causes },
      },
    });
  });

  it('lists several causes in brackets, as apimachinery aggregates them', () => {
    const message = invalidMessage(target, [
      { type: 'FieldValueRequired', field: 'spec.configRef', message: 'Required value: set it' },
      { type: 'FieldValueInvalid', field: 'spec.replicas', message: 'Invalid value: -1: bad' },
    ]);
    expect(message).toBe(
      'Server.openvox.voxpupuli.org "web" is invalid: [spec.configRef: Required value: set it, spec.replicas: Invalid value: -1: bad]',
    );
  });

  it('wraps a response in an AdmissionReview v1', () => {
    expect(toReview(allowed('u'))).toEqual({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: { uid: 'u', allowed: true },
    });
  });
});
