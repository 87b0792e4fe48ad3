// Each line marked `floating` drops a promise; the lint must report exactly those lines.
import { type Lander, Store, save } from "./ports.js";

export function local(): void {
  const run = async (): Promise<number> => 1;
  run(); // floating
}

export function imported(): void {
  save("x"); // floating
}

export function method(store: Store): void {
  store.flush(); // floating
}

export function throughAnInterface(lander: Lander): void {
  lander.land("abc"); // floating
}

export async function handled(lander: Lander, store: Store): Promise<void> {
  void lander.land("a");
  lander.land("b").catch(() => undefined);
  await store.flush();
  new Store();
}
