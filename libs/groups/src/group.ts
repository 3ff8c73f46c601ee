/** A group as the API shows it. */
export interface Group {
  id: string;
  userId: string;
  name: string;
  description: string;
  timestamp: string;
}
