import type { PageProps } from '../../app/areas';
import { RecordPage } from './RecordPage';

export const ContactPage = (props: PageProps) => <RecordPage type="contacts" {...props} />;
export const CompanyPage = (props: PageProps) => <RecordPage type="companies" {...props} />;
export const DealPage = (props: PageProps) => <RecordPage type="deals" {...props} />;
export const TicketPage = (props: PageProps) => <RecordPage type="tickets" {...props} />;
