// Recognizing database refusals that are the caller's doing, whatever adapter reported them.
const codeOf = (error: unknown): string | undefined => {
  const e = error as { code?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: string; kind?: string } } } };
  return typeof e?.code === 'string' ? e.code : undefined;
};

const causeOf = (error: unknown) =>
  (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: string; kind?: string } } }; cause?: { originalCode?: string; kind?: string } })?.meta
    ?.driverAdapterError?.cause ?? (error as { cause?: { originalCode?: string; kind?: string } })?.cause;

export const isUniqueViolation = (error: unknown) =>
  codeOf(error) === 'P2002' || causeOf(error)?.originalCode === '23505' || causeOf(error)?.kind === 'UniqueConstraintViolation';
