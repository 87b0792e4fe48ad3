// A module the floating-promise fixture imports: promises that come from elsewhere.
export async function save(value: string): Promise<void> {
  if (value === "") throw new Error("empty");
}

export class Store {
  async flush(): Promise<number> {
    return 1;
  }
}

export interface Lander {
  land(commit: string): Promise<string>;
}
