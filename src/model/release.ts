/** The OpenStack series a change targets, and the component versions that follow from it. */
export interface Release {
  /** `stein`, `wallaby`, `2023.1`, ... */
  series: string;
  novaMajor: number;
  /** oslo.messaging version range of the series, as `major.minor` strings. */
  osloMessaging: { min: string; max: string };
  puppetMajor: number;
  /** Where the series came from, quoted in messages when it matters. */
  source: 'option' | 'config' | 'branch' | 'default';
}
