/** Joins the class names that are set, so optional ones leave no stray spaces in the markup. */
export function cx(...classes: (string | false | null | undefined)[]): string {
  return classes.filter(Boolean).join(" ");
}
