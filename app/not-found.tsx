import Link from "next/link";

export default function NotFound() {
  return (
    <div className="py-16 text-center">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="mt-2 text-muted">There is nothing at this address.</p>
      <Link href="/" className="mt-6 inline-block prose-link">
        Back to the network overview
      </Link>
    </div>
  );
}
