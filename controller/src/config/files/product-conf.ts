// product.conf: no update checks from inside a cluster.
import { writeHocon } from '../../writers/hocon.js';

export function renderProductConf(): string {
  return writeHocon({ product: { 'check-for-updates': false } });
}
