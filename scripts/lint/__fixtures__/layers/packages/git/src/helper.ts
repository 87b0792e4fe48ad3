export const helper = 3;
