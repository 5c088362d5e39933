// Annotations the operator sets on objects of any kind.
export const ANNOTATION_PREFIX = 'openvox.voxpupuli.org/';
/** On owned objects: hash of the last applied desired state (lets resync skip unchanged objects). */
export const APPLIED_HASH = `${ANNOTATION_PREFIX}applied-hash`;
