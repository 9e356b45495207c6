/** A pods/log request once its container is known: upstream's PodLogOptions, resolved. */
export interface PodLogRequest {
  container: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceTime?: Date;
  limitBytes?: number;
}
