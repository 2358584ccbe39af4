// Query operators the server writes itself. Filters built from input are sanitised (sanitizeFilter), which
// would also neutralise our own `$in`/`$ne`/`$gte`; wrapping them says "this operator is ours".
import mongoose from 'mongoose';

export function op<T extends object>(operator: T): T {
  return mongoose.trusted(operator) as T;
}
