// TypeScript decorators applied by hand, exactly as `tsc` emits them, so the bench apps stay plain
// JavaScript that runs without a compile step. `@Post() @HttpCode(200) receive(@Req() req)` becomes
// `method(Cls, 'receive', [Post(), HttpCode(200)])` plus `param(Cls, 'receive', 0, Req())`.
import 'reflect-metadata';

/** Class decorators, plus the constructor parameter types Nest injects by (`design:paramtypes`). */
export function klass(target, decorators, paramTypes = []) {
  return Reflect.decorate(
    [...decorators, Reflect.metadata('design:paramtypes', paramTypes)],
    target,
  );
}

export function method(target, name, decorators) {
  const descriptor = Object.getOwnPropertyDescriptor(target.prototype, name);
  Reflect.decorate(decorators, target.prototype, name, descriptor);
}

export function param(target, name, index, decorator) {
  decorator(target.prototype, name, index);
}
