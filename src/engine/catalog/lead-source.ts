// Which sample lead a run uses, decided in one place for the run itself (../run.ts), the editor's
// run command and its hover: the caller's lead (`--lead`, a lead picked in the editor), else the
// definition's `test.lead`, else the `marketoWebhook.defaultLead` setting (the editor's only).
// A path comes back as written, with what it is relative to: the host joins it, as a file path
// (the run, the command line) or as an editor URI.

/** A lead object given inline, or a lead file. */
export type SampleLeadSource =
  | { namedBy: 'caller' | 'test.lead'; inline: Record<string, unknown> }
  | { namedBy: 'caller' | 'test.lead' | 'setting'; path: string; relativeTo: 'definition' | 'workspace' | undefined };

export interface SampleLeadChoices {
  /** the caller's lead: a path it has resolved, or a lead object */
  caller?: string | Record<string, unknown> | undefined;
  /** the definition's `test.lead`: a path relative to the definition, or a lead object */
  testLead?: string | Record<string, unknown> | undefined;
  /** the defaultLead setting: a path relative to the workspace folder; blank is no setting */
  setting?: string | undefined;
}

/** The sample lead that applies, first of caller, `test.lead` and setting; undefined for none (a blank lead). */
export function sampleLeadSource(choices: SampleLeadChoices): SampleLeadSource | undefined {
  const { caller, testLead } = choices;
  if (caller !== undefined) return typeof caller === 'string' ? { namedBy: 'caller', path: caller, relativeTo: undefined } : { namedBy: 'caller', inline: caller };
  if (testLead !== undefined) {
    // An empty `test.lead` is still the definition's choice: the run says it cannot be read.
    return typeof testLead === 'string'
      ? { namedBy: 'test.lead', path: testLead, relativeTo: isAbsolutePath(testLead) ? undefined : 'definition' }
      : { namedBy: 'test.lead', inline: testLead };
  }
  const setting = choices.setting?.trim();
  if (setting) return { namedBy: 'setting', path: setting, relativeTo: isAbsolutePath(setting) ? undefined : 'workspace' };
  return undefined;
}

/** Absolute on any system a definition may have been written on: `/x`, `C:\x`, `C:/x`, `\\server\share`. */
export function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || path.startsWith('\\\\') || /^[a-zA-Z]:[\\/]/.test(path);
}
