/* probectl bench's exec storm target: a tiny static binary that exits at once, so that an exec
 * costs what the kernel's exec path costs and nothing more (no dynamic loader, no libc start-up
 * beyond the minimum). */
int main(void)
{
    return 0;
}
